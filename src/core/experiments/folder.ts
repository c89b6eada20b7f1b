import { pointsFromJsonl } from '../llpf/pathPoint';
import { asFloat32, parseSafetensors } from '../io/safetensors';
import { readPairRecord } from './pairRun';
import { readText, type ExperimentStore } from './store';
import { SummaryAccumulator, type ExperimentSummary } from './summary';
import type { RunRows } from './jointPca';
import type { ExperimentPlan } from './experiment';

/**
 * The experiment folder (docs/EXPERIMENTS.md): experiment.json, pair-k folders, summary.json, and the
 * snapshots the joint PCA reads. Through an ExperimentStore, so the same code serves any host.
 */

/** Writes experiment.json, or checks that the folder holds the same plan (shards share one folder). */
export async function claimFolder(store: ExperimentStore, plan: ExperimentPlan): Promise<void> {
  const text = await readText(store, 'experiment.json');
  if (text === null) {
    await store.write(
      'experiment.json',
      JSON.stringify({ kind: 'lowloss-experiment', version: 1, plan }, null, 2) + '\n',
    );
  } else if (JSON.stringify((JSON.parse(text) as { plan: unknown }).plan) !== JSON.stringify(plan)) {
    throw new Error('the folder holds a different experiment (experiment.json); use a new --out or the same flags');
  }
}

/** The 1-based indices of the pair folders (pair-k) present, ascending. */
export async function pairIndices(store: ExperimentStore, dir = ''): Promise<number[]> {
  return (await store.list(dir))
    .map((n) => /^pair-(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/** Pairs whose pair.json says "done" (a shard still running, failed or stopped is left out). */
export async function completePairs(store: ExperimentStore): Promise<number[]> {
  const out: number[] = [];
  for (const k of await pairIndices(store)) if ((await readPairRecord(store, k))?.status === 'done') out.push(k);
  return out;
}

/**
 * `lowloss experiment --merge`: the mean/std summary (Figures 2/3) of every complete pair, written to
 * summary.json. Shards on other machines may still be writing other pairs into the same folder.
 */
export async function mergeExperiment(store: ExperimentStore): Promise<ExperimentSummary> {
  const acc = new SummaryAccumulator();
  for (const k of await completePairs(store)) {
    const text = await readText(store, `pair-${k}/points.jsonl`);
    acc.add(k, pointsFromJsonl(text ?? ''));
  }
  const summary = acc.result();
  await store.write('summary.json', JSON.stringify(summary) + '\n');
  return summary;
}

/** Run folders: a folder with snapshots/ is a run; an experiment folder stands for its pair-k folders. */
export async function runFolders(store: ExperimentStore, dirs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const dir of dirs) {
    const pairs = await pairIndices(store, dir);
    if ((await store.list(`${dir}/snapshots`)).length) out.push(dir);
    else if (pairs.length) out.push(...pairs.map((k) => `${dir}/pair-${k}`));
    else throw new Error(`${dir} has no snapshots/ and no pair-k folders`);
  }
  return out;
}

/** Snapshot files of a run folder (`snapshots/tick-NNNNNN.safetensors`), in tick order. */
export async function snapshotTicks(store: ExperimentStore, run: string): Promise<number[]> {
  return (await store.list(`${run}/snapshots`))
    .map((n) => /^tick-(\d+)\.safetensors$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/**
 * One tensor's rows from each run's snapshots, for the joint PCA. The values keep the file's
 * (PyTorch) layout: a PCA does not depend on the order of the columns.
 */
export async function snapshotRows(
  store: ExperimentStore,
  runs: readonly string[],
  tensor: string,
): Promise<RunRows[]> {
  const out: RunRows[] = [];
  for (const run of runs) {
    const ticks = await snapshotTicks(store, run);
    const rows: Float32Array[] = [];
    for (const t of ticks) {
      const bytes = await store.read(`${run}/snapshots/tick-${String(t).padStart(6, '0')}.safetensors`);
      const entry = bytes ? parseSafetensors(bytes).tensors.get(tensor) : undefined;
      if (!entry) throw new Error(`${run}: snapshot of tick ${t} has no tensor ${tensor}`);
      rows.push(Float32Array.from(asFloat32(entry)));
    }
    out.push({ run, ticks, rows });
  }
  return out;
}
