import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readLenet5 } from '../../core/io/checkpoint';
import { writeSafetensors } from '../../core/io/safetensors';
import { specOf, toTorchLayout } from '../../core/model/layout';
import type { HostParams } from '../../core/model/lenet5';
import {
  analyseDisplacements,
  REFERENCE_DIMENSIONALITY,
  runExcursions,
  type DimensionalityConfig,
} from '../../core/experiments/dimensionality';
import { thresholdDimensionCsv } from '../../core/experiments/rank';
import { ensureEndpoint } from '../../core/experiments/pairRun';
import { endpointFile } from '../../core/experiments/experiment';
import { initNodeBackend, loadMnistNode } from '../../node/nodeHost';
import { num, str, UsageError } from '../args';
import { nodeStore } from './experiment';

const string = { type: 'string' } as const;

/** Flags of `lowloss dimensionality` (main.ts: `{ run: dimensionalityCommand, options: DIMENSIONALITY_OPTIONS }`). */
export const DIMENSIONALITY_OPTIONS = {
  model: string,
  paths: string,
  'dest-dir': string,
  out: string,
  json: { type: 'boolean' },
  rounds: string,
  lr: string,
  momentum: string,
  batch: string,
  step: string,
  seed: string,
  'no-augment': { type: 'boolean' },
  'same-batches': { type: 'boolean' },
  'dest-epochs': string,
  'dest-seed-base': string,
} as const;

export const DIMENSIONALITY_USAGE = `  lowloss dimensionality --model A.safetensors --paths K [--dest-dir DIR] --out OUT
              [--json] [--rounds 10] [--lr 0.01] [--momentum 0.9] [--batch 1000] [--step 0.001]
              [--seed 0] [--no-augment] [--same-batches] [--dest-epochs 1] [--dest-seed-base 1000]`;

function readModel(path: string): HostParams {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return readLenet5(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)).params;
}

/** Destination files of --dest-dir (sorted *.safetensors, not the start model itself), at most k. */
function destinationFiles(dir: string | undefined, model: string, k: number): string[] {
  if (!dir) return [];
  if (!existsSync(dir)) throw new UsageError(`--dest-dir ${dir} does not exist`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.safetensors'))
    .sort()
    .map((f) => join(dir, f))
    .filter((f) => resolve(f) !== resolve(model))
    .slice(0, k);
}

/**
 * `lowloss dimensionality`: the paper's §5.3 measurement (SPEC §10). Writes OUT/displacements.safetensors
 * ([K, numel] per tensor, PyTorch layout), OUT/threshold_dimension.csv (as the reference) and
 * OUT/dimensionality.json; prints the per-tensor ranks.
 */
export async function dimensionalityCommand(flags: Record<string, unknown>): Promise<void> {
  const model = str(flags, 'model');
  const K = num(flags, 'paths', undefined, { integer: true, min: 1 });
  const out = str(flags, 'out');
  const config: DimensionalityConfig = {
    rounds: num(flags, 'rounds', REFERENCE_DIMENSIONALITY.rounds, { integer: true, min: 0 }),
    lr: num(flags, 'lr', REFERENCE_DIMENSIONALITY.lr, { min: 0 }),
    momentum: num(flags, 'momentum', REFERENCE_DIMENSIONALITY.momentum, { min: 0 }),
    batch: num(flags, 'batch', REFERENCE_DIMENSIONALITY.batch, { integer: true, min: 1 }),
    step: num(flags, 'step', REFERENCE_DIMENSIONALITY.step, { min: 0 }),
    augment: !flags['no-augment'],
    sameBatches: flags['same-batches'] === true,
    seed: num(flags, 'seed', REFERENCE_DIMENSIONALITY.seed, { integer: true, min: 0 }),
  };
  const destEpochs = num(flags, 'dest-epochs', 1, { min: 0 });
  const destSeedBase = num(flags, 'dest-seed-base', 1000, { integer: true, min: 0 });
  const start = readModel(model);
  const files = destinationFiles(flags['dest-dir'] as string | undefined, model, K);
  await initNodeBackend(flags.backend as string | undefined);
  const mnist = loadMnistNode();
  mkdirSync(out, { recursive: true });

  const destinations: HostParams[] = files.map(readModel);
  const sources = files.map((file) => ({ file, trained: false }));
  const store = nodeStore(out);
  for (let i = files.length; i < K; i++) {
    const seed = destSeedBase + i - files.length + 1;
    destinations.push(await ensureEndpoint(store, mnist, seed, destEpochs, (m) => console.error(m)));
    sources.push({ file: join(out, endpointFile(seed, destEpochs)), trained: true });
  }
  const trained = K - files.length;
  const note =
    trained > 0
      ? `${files.length} destination(s) from ${flags['dest-dir'] ?? '(no --dest-dir)'}; ` +
        `trained ${trained} more from seeds ` +
        `${destSeedBase + 1}…${destSeedBase + trained} (${destEpochs} epoch(s) each, saved in ${join(out, 'models')})`
      : `all ${K} destinations from ${String(flags['dest-dir'])}`;
  console.error(note);

  const t0 = performance.now();
  const ex = await runExcursions(start, destinations, mnist.train, config, {
    onProgress: (k, total, loss) =>
      console.error(`${k === 0 ? 'start' : `excursion ${k}/${total}`}: mean loss ${loss.toFixed(4)}`),
  });
  const analysis = analyseDisplacements(ex.displacements);
  writeFileSync(
    join(out, 'displacements.safetensors'),
    writeSafetensors(
      [...ex.displacements].map(([name, rows]) => {
        const spec = specOf(name);
        const data = new Float32Array(rows.length * rows[0].length);
        rows.forEach((r, k) => data.set(toTorchLayout(spec, r), k * r.length));
        return { name, shape: [rows.length, rows[0].length], data };
      }),
      {
        model,
        paths: String(K),
        config: JSON.stringify(config),
        layout: 'pytorch (rows: end − trained start, flattened)',
      },
    ),
  );
  writeFileSync(
    join(out, 'threshold_dimension.csv'),
    thresholdDimensionCsv(new Map([...analysis].map(([n, a]) => [n, a.effectiveRanks]))),
  );
  const tensors = Object.fromEntries(
    [...analysis].map(([n, a]) => [
      n,
      {
        dims: a.dims,
        paths: a.paths,
        rank: a.rank,
        fullRank: a.fullRank,
        tolerance: a.tolerance,
        singularValues: a.singularValues,
      },
    ]),
  );
  const result = {
    tensors,
    destinations: sources,
    note,
    config,
    meanLoss: ex.meanLoss,
    seconds: (performance.now() - t0) / 1000,
  };
  writeFileSync(join(out, 'dimensionality.json'), JSON.stringify(result, null, 2) + '\n');
  if (flags.json) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(`tensor          dims   rank  min(K,d)`);
  for (const [n, a] of analysis)
    console.log(
      `${n.padEnd(14)} ${String(a.dims).padStart(6)} ${String(a.rank).padStart(6)} ${String(a.fullRank).padStart(9)}`,
    );
}
