import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { applyOverrides, presetFor, type Mode } from '../../core/config';
import { parsePhases, type PhasedConfig } from '../../core/llpf/phases';
import { POINT_TENSORS } from '../../core/llpf/pathPoint';
import { pairsOfShard, pairSpecs, parseShard, shardFromEnv } from '../../core/experiments/experiment';
import type { ExperimentPlan, PairSpec, Shard } from '../../core/experiments/experiment';
import { claimFolder, mergeExperiment, runFolders, snapshotRows } from '../../core/experiments/folder';
import { readPairRecord, runPair, type PairRecord } from '../../core/experiments/pairRun';
import {
  runPairPool,
  servePairs,
  type FromPairWorker,
  type PairWorker,
  type ToPairWorker,
} from '../../core/experiments/pool';
import { createEvalSet } from '../../core/data/batches';
import { SessionControl } from '../../core/session';
import { initNodeBackend, loadMnistNode, yieldToNode } from '../../node/nodeHost';
import { jointPca } from '../../core/experiments/jointPca';
import type { ExperimentStore } from '../../core/experiments/store';
import { PAPER_ENDPOINT_TRAINING } from '../../core/train/endpoint';
import { num, str, UsageError } from '../args';
import { RUN_FLAG_OPTIONS } from './path';

/** The value of `f`, or `fallback` when it throws (a missing file or folder). */
function orElse<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/** An ExperimentStore on a folder; a write goes to a temporary file renamed into place (atomic on one disk). */
export function nodeStore(root: string): ExperimentStore {
  const at = (p: string) => join(root, p);
  return {
    read: async (p) => orElse(() => new Uint8Array(readFileSync(at(p))), null),
    write: async (p, data) => {
      mkdirSync(dirname(at(p)), { recursive: true });
      const tmp = `${at(p)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(tmp, data);
      renameSync(tmp, at(p));
    },
    append: async (p, text) => {
      mkdirSync(dirname(at(p)), { recursive: true });
      appendFileSync(at(p), text);
    },
    list: async (dir) => orElse(() => readdirSync(at(dir)), []),
  };
}

const string = { type: 'string' } as const;

/** Flags of `lowloss experiment` (main.ts: `{ run: experimentCommand, options: EXPERIMENT_OPTIONS }`). */
export const EXPERIMENT_OPTIONS = {
  ...RUN_FLAG_OPTIONS,
  pairs: string,
  epochs: string,
  preset: string,
  phases: string,
  out: string,
  shard: string,
  merge: string,
  workers: string,
  'seed-base': string,
  json: { type: 'boolean' },
} as const;

/** Flags of `lowloss pca` (main.ts: `{ run: pcaCommand, options: PCA_OPTIONS }`). */
export const PCA_OPTIONS = {
  runs: { type: 'string', multiple: true },
  out: string,
  components: string,
} as const;

export const EXPERIMENT_USAGE = `  lowloss experiment --mode m2m|m2o --pairs N [--epochs E] [--preset P] [run flags]
              --out DIR [--shard K/N] [--workers W] [--seed-base S] [--json]
  lowloss experiment --merge DIR
  lowloss pca --runs DIR… --out FILE [--components 2]`;

/** The plan from the flags; the run flags override the preset as in \`lowloss m2m\`. */
function planOf(flags: Record<string, unknown>): ExperimentPlan {
  const mode = str(flags, 'mode') as Mode;
  if (mode !== 'm2m' && mode !== 'm2o') throw new UsageError(`--mode must be m2m or m2o, got "${mode}"`);
  let config: PhasedConfig;
  try {
    config = applyOverrides(
      { ...presetFor(str(flags, 'preset', 'paper'), mode), mode },
      flags as Record<string, string | boolean>,
    );
    if (flags.phases) config.phases = parsePhases(String(flags.phases), config.trainLayers);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return {
    mode,
    pairs: num(flags, 'pairs', undefined, { integer: true, min: 1 }),
    epochs: num(flags, 'epochs', PAPER_ENDPOINT_TRAINING.epochs, { min: 0 }),
    seedBase: num(flags, 'seed-base', 0, { integer: true, min: 0 }),
    config,
  };
}

/** The shard: --shard, else a Slurm array or Kubernetes Indexed Job environment, else none. */
function shardOf(flags: Record<string, unknown>): Shard | null {
  try {
    return flags.shard !== undefined ? parseShard(String(flags.shard)) : shardFromEnv(process.env);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * `lowloss experiment`: N pairs (SPEC §10), this shard's share of them, on worker threads (one per
 * core); then summary.json from every complete pair. `--merge DIR` only writes the summary.
 */
export async function experimentCommand(flags: Record<string, unknown>): Promise<void> {
  if (flags.merge !== undefined) {
    const summary = await mergeExperiment(nodeStore(str(flags, 'merge')));
    console.error(`summary.json: ${summary.meta.pairs.length} complete pair(s), ${summary.tick.length} ticks`);
    return;
  }
  const plan = planOf(flags);
  const out = str(flags, 'out');
  const shard = shardOf(flags);
  const workers = num(flags, 'workers', availableParallelism(), { integer: true, min: 1 });
  const store = nodeStore(out);
  mkdirSync(out, { recursive: true });
  await claimFolder(store, plan).catch((e: Error) => {
    throw new UsageError(e.message);
  });
  const mine = pairsOfShard(pairSpecs(plan), shard);
  const todo = [];
  for (const p of mine) if ((await readPairRecord(store, p.index))?.status !== 'done') todo.push(p);
  const shardText = shard ? `shard ${shard.index}/${shard.count} (${shard.source})` : 'all pairs';
  console.error(
    `${shardText}: ${mine.length} pair(s), ${mine.length - todo.length} already done, ${todo.length} to run`,
  );
  const t0 = performance.now();
  const threads = Math.min(workers, todo.length);
  const args = { pairs: todo, epochs: plan.epochs, out: resolve(out), backend: flags.backend as string | undefined };
  const records = threads > 1 ? await runPairsInPool(args, threads) : await runPairsHere(args);
  const seconds = (performance.now() - t0) / 1000;
  const summary = await mergeExperiment(store);
  const failed = records.filter((r) => r.status !== 'done');
  const report = {
    pairs: mine.map((p) => p.index),
    ran: records.length,
    failed: failed.map((r) => ({ pair: r.index, status: r.status, error: r.error })),
    threads: Math.max(threads, 1),
    seconds,
    summaryPairs: summary.meta.pairs.length,
  };
  const took = `${records.length} pair(s) in ${seconds.toFixed(1)} s on ${report.threads} thread(s)`;
  console.error(`${took}; summary.json over ${report.summaryPairs} pair(s)`);
  if (flags.json) console.log(JSON.stringify(report));
  if (failed.length) process.exitCode = failed.some((r) => r.status === 'stopped') ? 130 : 1;
}

/** `lowloss pca`: joint per-layer PCA of the runs' snapshots (paper Figure 4) into one JSON file. */
export async function pcaCommand(flags: Record<string, unknown>): Promise<void> {
  const dirs = (flags.runs as string[] | undefined) ?? [];
  if (!dirs.length) throw new UsageError('--runs needs at least one folder');
  const out = str(flags, 'out');
  const components = num(flags, 'components', 2, { integer: true, min: 1 });
  // The store's paths are relative: the file-system root, and absolute folders without their leading '/'.
  const root = nodeStore('/');
  const runs = await runFolders(
    root,
    dirs.map((d) => resolve(d).slice(1)),
  ).catch((e: Error) => {
    throw new UsageError(e.message);
  });
  const result = await jointPca(
    runs.map((r) => `/${r}`),
    POINT_TENSORS,
    async (t) => (await snapshotRows(root, runs, t)).map((r) => ({ ...r, run: `/${r.run}` })),
    components,
  );
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(out, JSON.stringify(result) + '\n');
  const line = POINT_TENSORS.map(
    (t) => `${t} ${result.tensors[t].explained.map((e) => (e * 100).toFixed(1)).join('/')}%`,
  ).join(', ');
  console.error(`${runs.length} run(s) → ${out}; explained variance: ${line}`);
}

/** What a pair runner needs: the pairs, their endpoints' epochs, the experiment folder and the backend. */
interface PairJob {
  pairs: PairSpec[];
  epochs: number;
  out: string;
  backend?: string;
}

/** Progress on stderr, at most once a second: each running pair's tick. */
function progressPrinter(total: number) {
  const at = new Map<number, string>();
  let last = 0;
  let finished = 0;
  const print = (force = false) => {
    if (!force && performance.now() - last < 1000) return;
    last = performance.now();
    console.error(`pairs done ${finished}/${total}  ${[...at].map(([k, v]) => `pair-${k} ${v}`).join('  ')}`);
  };
  return {
    onMessage: (pair: number, m: string) => console.error(`pair-${pair}: ${m}`),
    onTick: (pair: number, tick: number, n: number) => (at.set(pair, `${tick}/${n}`), print()),
    onDone: (r: PairRecord) => (at.delete(r.index), finished++, print(true)),
  };
}

/** The engine of one host: backend, MNIST, a shared test set, and a stop control. */
async function pairEngine(backend?: string) {
  await initNodeBackend(backend);
  const mnist = loadMnistNode();
  const control = new SessionControl();
  const testFull = createEvalSet(mnist.test);
  const run = (pair: PairSpec, epochs: number, out: string, hooks: Parameters<typeof runPair>[4] = {}) =>
    runPair(pair, epochs, mnist, nodeStore(out), { ...hooks, control, testFull, yieldToHost: yieldToNode });
  return { run, control };
}

/** Runs the pairs one after another in this thread (one core). */
async function runPairsHere(job: PairJob): Promise<PairRecord[]> {
  const { run, control } = await pairEngine(job.backend);
  const progress = progressPrinter(job.pairs.length);
  const onSigint = () => control.stop();
  process.on('SIGINT', onSigint);
  const records: PairRecord[] = [];
  try {
    for (const p of job.pairs) {
      records.push(await run(p, job.epochs, job.out, progress));
      progress.onDone(records[records.length - 1]);
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  return records;
}

/** Runs the pairs on `threads` worker threads (this module is each thread's entry, via tsx). */
async function runPairsInPool(job: PairJob, threads: number): Promise<PairRecord[]> {
  // tsx's public 'tsx/esm/api' (its "import" condition), which require.resolve cannot pick.
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const boot = `const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((m) => (m.register(), import(workerData.entry))).then((m) => m.experimentWorkerMain());`;
  const data = {
    tsx: pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href,
    entry: import.meta.url,
    backend: job.backend,
    out: job.out,
  };
  const spawn = (): PairWorker => {
    const w = new Worker(boot, { eval: true, workerData: data });
    return {
      post: (m) => w.postMessage(m),
      onMessage: (l) => w.on('message', l),
      onExit: (l) => {
        w.on('error', l);
        w.on('exit', (code) => l(new Error(`worker exited (code ${code})`)));
      },
      terminate: () => w.terminate(),
    };
  };
  const progress = progressPrinter(job.pairs.length);
  const pool = runPairPool(job.pairs, job.epochs, spawn, threads, progress);
  const onSigint = () => pool.stop();
  process.on('SIGINT', onSigint);
  try {
    return await pool.done;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Entry of an experiment worker thread: serves the pool's pairs until terminated. */
export async function experimentWorkerMain(): Promise<void> {
  const port = parentPort!;
  const { backend, out } = workerData as { backend?: string; out: string };
  const { run, control } = await pairEngine(backend);
  const post = (m: FromPairWorker) => port.postMessage(m);
  port.on(
    'message',
    servePairs(post, (pair, epochs, hooks) => run(pair, epochs, out, hooks), { control }) as (m: ToPairWorker) => void,
  );
}
