import { parseArgs } from 'node:util';
import { UsageError } from './args';
import { evalCommand, info, train } from './commands/basic';
import { pathCommand, RUN_FLAG_OPTIONS } from './commands/path';

const USAGE = `lowloss — LeNet5 on MNIST and low-loss paths between models (LLPF)

  lowloss train --seed S --epochs E --out M.safetensors [--lr 0.01] [--momentum 0.9] [--batch 64] [--augment]
  lowloss eval  --model M.safetensors [--json]
  lowloss info  [--json]
  lowloss m2m --start A.safetensors --dest B.safetensors --out DIR [--preset paper|quick]
              [--ticks T] [--step-f F] [--step-a A] [--rule max|sum] [--clamp] [--rounds-min m]
              [--rounds-max M] [--threshold L] [--lr LR] [--batch N] [--seed S] [--layers a,b]
              [--train-layers a,b] [--phases "conv1,conv2:100;fc1,fc2,fc3:200"] [--eval-every K]
              [--eval-subset N] [--snapshot-every K]
  lowloss m2o --start A.safetensors --out DIR [same options]

m2m/m2o write DIR/points.jsonl (one path point per line, as produced), DIR/final.safetensors,
DIR/run.json and DIR/snapshots/. Ctrl-C stops after the current tick and keeps everything valid.

Every command takes --backend wasm|cpu|webgpu (default: the fastest available).`;

type Command = (flags: Record<string, unknown>) => Promise<void>;
type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];
const string = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;
const COMMON: Options = { backend: string, help: flag };

/** Each command with the flags it accepts (anything else is a usage error). */
const COMMANDS: Record<string, { run: Command; options: Options }> = {
  train: { run: train, options: { seed: string, epochs: string, out: string, lr: string, momentum: string, batch: string, augment: flag } },
  eval: { run: evalCommand, options: { model: string, json: flag } },
  info: { run: info, options: { json: flag } },
  m2m: { run: pathCommand('m2m'), options: { start: string, dest: string, preset: string, out: string, phases: string, ...RUN_FLAG_OPTIONS } },
  m2o: { run: pathCommand('m2o'), options: { start: string, preset: string, out: string, phases: string, ...RUN_FLAG_OPTIONS } },
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
      ({ values } = parseArgs({ args: rest, strict: true, allowPositionals: false, options: { ...COMMON, ...command.options } }));
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
