import type { Mnist } from '../core/data/mnist';
import { readLenet5 } from '../core/io/checkpoint';
import { writeSafetensors } from '../core/io/safetensors';
import { POINT_TENSORS } from '../core/llpf/pathPoint';
import { specOf, toTorchLayout } from '../core/model/layout';
import type { HostParams } from '../core/model/lenet5';
import { analyseDisplacements, runExcursions, type Excursions } from '../core/experiments/dimensionality';
import { endpointFile, pairDir } from '../core/experiments/experiment';
import { mergeExperiment, snapshotRows, snapshotTicks } from '../core/experiments/folder';
import { jointPca } from '../core/experiments/jointPca';
import { ensureEndpoint } from '../core/experiments/pairRun';
import { REFERENCE_THRESHOLDS, thresholdDimensionCsv } from '../core/experiments/rank';
import type { ExperimentStore } from '../core/experiments/store';
import type { ToExperimentWorker } from './experimentProtocol';
import {
  DIMENSIONALITY_DIR,
  DIMENSIONALITY_FILE,
  PCA_FILE,
  type DimensionalityFile,
  type DimensionalitySource,
} from './experimentResults';

/**
 * The analyses of an experiment worker (issue #15), each a function of the experiment's files:
 * the Figure 2/3 summary and the Figure 4 joint PCA of the complete pairs, and the §5.3
 * dimensionality measurement. All computation is the core's (src/core/experiments).
 */

/** Snapshot bytes kept in memory while one joint PCA reads every tensor of every file (bytes). */
const PCA_READ_CACHE_BYTES = 256 * 2 ** 20;

/** Caches reads up to `budget` bytes: the joint PCA reads each snapshot once per tensor. */
function cachedReads(store: ExperimentStore, budget: number): ExperimentStore {
  const cache = new Map<string, Uint8Array>();
  let used = 0;
  return {
    ...store,
    read: async (p) => {
      const hit = cache.get(p);
      if (hit) return hit;
      const bytes = await store.read(p);
      if (bytes && used + bytes.length <= budget) {
        cache.set(p, bytes);
        used += bytes.length;
      }
      return bytes;
    },
  };
}

/**
 * summary.json from every complete pair (the CLI's `--merge`), then, when asked and there are at
 * least two snapshots, pca.json: the joint per-layer PCA of those pairs' snapshots.
 */
export async function analyseExperiment(
  store: ExperimentStore,
  withPca: boolean,
): Promise<{ pairs: number[]; pca: boolean }> {
  const summary = await mergeExperiment(store);
  const pairs = summary.meta.pairs;
  if (!withPca || !pairs.length) return { pairs, pca: false };
  const runs = pairs.map(pairDir);
  let snapshots = 0;
  for (const r of runs) snapshots += (await snapshotTicks(store, r)).length;
  if (snapshots < 2) return { pairs, pca: false };
  const reads = cachedReads(store, PCA_READ_CACHE_BYTES);
  const result = await jointPca(runs, POINT_TENSORS, (t) => snapshotRows(reads, runs, t));
  await store.write(PCA_FILE, JSON.stringify(result) + '\n');
  return { pairs, pca: true };
}

type DimensionalityCommand = Extract<ToExperimentWorker, { type: 'dimensionality' }>;

/** Seed of the first destination trained when the experiment's own models run out (the CLI's default). */
export const TOP_UP_SEED_BASE = 1000;

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The K destination models: the experiment's own (models/, sorted), or from seeds, topped up from seeds. */
async function destinations(
  store: ExperimentStore,
  mnist: Mnist,
  cmd: DimensionalityCommand,
  say: (m: string) => void,
): Promise<{ models: HostParams[]; sources: DimensionalitySource[]; note: string }> {
  const K = cmd.paths;
  const d = cmd.destinations;
  const own =
    d.kind === 'pairs'
      ? (await store.list('models'))
          .filter((f) => f.endsWith('.safetensors'))
          .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      : [];
  const models: HostParams[] = [];
  const sources: DimensionalitySource[] = [];
  const startBytes = new Uint8Array(cmd.start.bytes);
  for (const f of own) {
    const bytes = await store.read(`models/${f}`);
    if (!bytes) throw new Error(`models/${f} vanished`);
    if (sameBytes(bytes, startBytes)) continue; // model A itself is no destination
    if (models.length === K) break;
    models.push(readLenet5(bytes).params);
    sources.push({ file: `models/${f}`, trained: false });
  }
  const base = d.kind === 'seeds' ? d.seedBase : TOP_UP_SEED_BASE;
  for (let i = 1; models.length < K; i++) {
    models.push(await ensureEndpoint(store, mnist, base + i, d.epochs, say));
    sources.push({ file: endpointFile(base + i, d.epochs), trained: true });
  }
  const trained = sources.filter((s) => s.trained).length;
  const note =
    d.kind === 'seeds'
      ? `${K} destination(s) from seeds ${base + 1}…${base + K} (${d.epochs} epoch(s) each)`
      : `${K - trained} destination(s) from the experiment's models` +
        (trained ? `; ${trained} more trained from seeds ${base + 1}…${base + trained} (${d.epochs} epoch(s))` : '');
  return { models, sources, note };
}

/** displacements.safetensors as the CLI writes it: per tensor a [K, numel] matrix, PyTorch layout. */
function displacementFile(ex: Excursions, meta: Record<string, string>): Uint8Array {
  return writeSafetensors(
    [...ex.displacements].map(([name, rows]) => {
      const spec = specOf(name);
      const data = new Float32Array(rows.length * rows[0].length);
      rows.forEach((r, k) => data.set(toTorchLayout(spec, r), k * r.length));
      return { name, shape: [rows.length, rows[0].length], data };
    }),
    { ...meta, layout: 'pytorch (rows: end − trained start, flattened)' },
  );
}

/**
 * §5.3 (SPEC §10): K excursions from model A, the SVD of each tensor's stacked displacements and its
 * ranks. Writes dimensionality/{dimensionality.json, threshold_dimension.csv, displacements.safetensors}.
 */
export async function measureDimensionality(
  store: ExperimentStore,
  mnist: Mnist,
  cmd: DimensionalityCommand,
  onProgress: (k: number, total: number, meanLoss: number, message: string) => void,
): Promise<DimensionalityFile> {
  const t0 = performance.now();
  const start = readLenet5(new Uint8Array(cmd.start.bytes)).params;
  const K = cmd.paths;
  const dest = await destinations(store, mnist, cmd, (m) => onProgress(0, K, NaN, m));
  onProgress(0, K, NaN, `${dest.note}; training the start ${cmd.config.rounds} rounds`);
  const ex = await runExcursions(start, dest.models, mnist.train, cmd.config, {
    onProgress: (k, total, loss) =>
      onProgress(k, total, loss, k === 0 ? 'start trained' : `excursion ${k} of ${total} done`),
  });
  const analysis = analyseDisplacements(ex.displacements);
  const file: DimensionalityFile = {
    kind: 'lowloss-dimensionality',
    version: 1,
    start: cmd.start.name,
    paths: K,
    destinations: dest.sources,
    requested: cmd.destinations,
    note: dest.note,
    config: cmd.config,
    meanLoss: ex.meanLoss,
    seconds: (performance.now() - t0) / 1000,
    thresholds: Array.from(REFERENCE_THRESHOLDS),
    tensors: Object.fromEntries(analysis),
  };
  const meta = { model: cmd.start.name, paths: String(K), config: JSON.stringify(cmd.config) };
  await store.write(`${DIMENSIONALITY_DIR}/displacements.safetensors`, displacementFile(ex, meta));
  await store.write(
    `${DIMENSIONALITY_DIR}/threshold_dimension.csv`,
    thresholdDimensionCsv(new Map([...analysis].map(([n, a]) => [n, a.effectiveRanks]))),
  );
  await store.write(DIMENSIONALITY_FILE, JSON.stringify(file) + '\n');
  return file;
}
