import { parseArgs } from 'node:util';
import { expandBareBooleans, UsageError } from './args';
import { evalCommand, info, train } from './commands/basic';
import { pathCommand, RUN_FLAG_OPTIONS } from './commands/path';
import { ENDPOINT_FIELDS, ENDPOINT_FLAG_OPTIONS } from '../core/train/endpointConfig';
import { RUN_FIELDS } from '../core/config';
import { BASELINE_COMMANDS, BASELINES_USAGE } from './commands/baselines';
import {
  GEOMETRY_COMMANDS,
  TRAIN_GEOMETRY_OPTIONS,
  trainGeometry,
  evalBinary,
  isBinaryModelFlag,
} from './commands/geometry';
import {
  EXPERIMENT_OPTIONS,
  EXPERIMENT_USAGE,
  experimentCommand,
  PCA_OPTIONS,
  pcaCommand,
} from './commands/experiment';
import { DIMENSIONALITY_OPTIONS, DIMENSIONALITY_USAGE, dimensionalityCommand } from './commands/dimensionality';

/** Flags of the config tables that are booleans: they take an optional true|false. */
const BOOL_FLAGS = new Set(
  [...Object.values(RUN_FIELDS), ...Object.values(ENDPOINT_FIELDS)].filter((f) => f.kind === 'bool').map((f) => f.flag),
);

const USAGE = `lowloss — LeNet5 on MNIST and low-loss paths between models (LLPF)

  lowloss train --seed S --epochs E --out M.safetensors [--lr 0.01] [--momentum 0.9] [--batch 64] [--augment true|false]
                [--test-samples N] [--report-every K]
  lowloss eval  --model M.safetensors [--json]
  lowloss info  [--json]
  lowloss m2m --start A.safetensors --dest B.safetensors --out DIR [--preset paper|quick]
              [--ticks T] [--step-f F] [--step-a A] [--rule max|sum] [--clamp true|false] [--rounds-min m]
              [--rounds-max M] [--threshold L] [--lr LR] [--batch N] [--seed S] [--layers a,b]
              [--train-layers a,b] [--phases "conv1,conv2:100;fc1,fc2,fc3:200"] [--eval-every K]
              [--eval-subset N] [--snapshot-every K] [--augment true|false] [--train-subset N] [--batch-mode reference|fixed]
              [--resume DIR/snapshots/tick-N.safetensors]
  lowloss m2o --start A.safetensors --out DIR [same options]

m2m/m2o write DIR/points.jsonl (one path point per line, as produced), DIR/final.safetensors,
DIR/run.json and DIR/snapshots/ (checkpoints). Ctrl-C stops after the current tick and keeps everything
valid; --resume continues a run exactly from one of its checkpoints (points from the next tick on).

  lowloss train --optimizer sgd|adam [--batch N] …  |  lowloss train --binary [--epochs 3]
  lowloss canon --model M --out FILE [--json]
  lowloss compare --a A --b B [--json]
  lowloss geodesic --a A --b B [--points 25] [--train-samples 10000] [--linear] [--json]
  lowloss flatness --model M [--sigmas 0,0.05,…] [--samples 8] [--seed 0] [--train-samples 5000] [--json]
${BASELINES_USAGE}
${EXPERIMENT_USAGE}
${DIMENSIONALITY_USAGE}

Every command takes --backend wasm|cpu|webgpu (default: the fastest available).`;

type Command = (flags: Record<string, unknown>) => Promise<void>;
type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];
const string = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;
const COMMON: Options = { backend: string, help: flag };

/** Each command with the flags it accepts (anything else is a usage error). */
const COMMANDS: Record<string, { run: Command; options: Options }> = {
  train: {
    // Adam and binary networks (Pittorino et al., SPEC §7) train in the geometry module; SGD here.
    run: (f) => (f.binary || (f.optimizer !== undefined && f.optimizer !== 'sgd') ? trainGeometry(f) : train(f)),
    options: { out: string, ...ENDPOINT_FLAG_OPTIONS, ...TRAIN_GEOMETRY_OPTIONS },
  },
  eval: { run: (f) => (isBinaryModelFlag(f) ? evalBinary(f) : evalCommand(f)), options: { model: string, json: flag } },
  ...GEOMETRY_COMMANDS,
  info: { run: info, options: { json: flag } },
  m2m: {
    run: pathCommand('m2m'),
    options: {
      start: string,
      dest: string,
      preset: string,
      out: string,
      phases: string,
      resume: string,
      ...RUN_FLAG_OPTIONS,
    },
  },
  m2o: {
    run: pathCommand('m2o'),
    options: { start: string, preset: string, out: string, phases: string, resume: string, ...RUN_FLAG_OPTIONS },
  },
  ...BASELINE_COMMANDS,
  experiment: { run: experimentCommand, options: EXPERIMENT_OPTIONS },
  pca: { run: pcaCommand, options: PCA_OPTIONS },
  dimensionality: { run: dimensionalityCommand, options: DIMENSIONALITY_OPTIONS },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
    let values: Record<string, unknown>;
    try {
      ({ values } = parseArgs({
        args: expandBareBooleans(rest, BOOL_FLAGS),
        strict: true,
        allowPositionals: false,
        options: { ...COMMON, ...command.options },
      }));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    await command.run(values);
    return Number(process.exitCode ?? 0); // 130 after a Ctrl-C stop
  } catch (e) {
    const err = e as Error;
    console.error(`lowloss ${name}: error: ${err.message}`);
    if (err instanceof UsageError) {
      console.error(`\n${USAGE}`);
      return 2;
    }
    if (process.env.LOWLOSS_DEBUG) console.error(err.stack);
    return 1;
  }
}
