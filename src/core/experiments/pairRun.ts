import { disposeParams, initLenet5Host, toHost, type HostParams } from '../model/lenet5';
import { createBatchSource, type EvalSet } from '../data/batches';
import type { Mnist } from '../data/mnist';
import { deriveSeed } from '../random';
import { PAPER_ENDPOINT_TRAINING, trainEndpoint } from '../train/endpoint';
import { readLenet5, writeLenet5 } from '../io/checkpoint';
import { toJsonl } from '../llpf/pathPoint';
import { totalTicks } from '../llpf/phases';
import type { SessionControl, SessionStatus } from '../session';
import { endpointFile, pairDir, type PairSpec } from './experiment';
import { readText, type ExperimentStore } from './store';
import { runPath } from './pathAdapter';
import { toVariables } from './variables';

/** pair-k/pair.json: what a pair is and how far it got. `status: "done"` marks a complete pair. */
export interface PairRecord {
  kind: 'lowloss-pair';
  version: 1;
  index: number;
  startSeed: number;
  destSeed: number | null;
  /** Endpoint files, relative to the experiment folder. */
  start: string;
  dest: string | null;
  config: PairSpec['config'];
  status: 'running' | SessionStatus;
  /** Last tick written to points.jsonl. */
  ticksDone: number;
  /** Wall time of the path (ms), without endpoint training. */
  pathMs: number;
  error?: string;
}

export interface PairHooks {
  /** A line of progress (endpoint training, path start and end). */
  onMessage?: (pair: number, message: string) => void;
  /** After every tick. */
  onTick?: (pair: number, tick: number, total: number) => void;
  control?: SessionControl;
  yieldToHost?: () => Promise<void>;
  /** A device copy of the full test set to share between pairs. */
  testFull?: EvalSet;
}

/**
 * The endpoint of a seed (paper Table 3 training for `epochs`), read from the experiment's models/
 * folder or trained and written there. Same batches and init as `lowloss train --seed S --epochs E`,
 * so a model trained by that command can be dropped into models/ instead.
 */
export async function ensureEndpoint(
  store: ExperimentStore,
  mnist: Mnist,
  seed: number,
  epochs: number,
  onMessage?: (m: string) => void,
): Promise<HostParams> {
  const file = endpointFile(seed, epochs);
  const existing = await store.read(file);
  if (existing) return readLenet5(existing).params;
  onMessage?.(`training endpoint seed ${seed} (${epochs} epochs)`);
  const params = toVariables(initLenet5Host(seed));
  const batches = createBatchSource(mnist.train, { batchSize: 64, seed: deriveSeed(seed, 'batches') });
  try {
    await trainEndpoint(params, batches, null, { ...PAPER_ENDPOINT_TRAINING, epochs });
    const host = await toHost(params);
    await store.write(
      file,
      writeLenet5(host, { seed: String(seed), epochs: String(epochs), trainedBy: 'lowloss experiment' }),
    );
    return host;
  } finally {
    disposeParams(params);
    batches.dispose();
  }
}

/** The pair's record, or null when it has none yet. */
export async function readPairRecord(store: ExperimentStore, index: number): Promise<PairRecord | null> {
  const text = await readText(store, `${pairDir(index)}/pair.json`);
  return text ? (JSON.parse(text) as PairRecord) : null;
}

/**
 * Runs pair k: its endpoints (cached), then the path, writing pair-k/points.jsonl (one JSONL point
 * per tick, the CLI's format), pair-k/snapshots/tick-NNNNNN.safetensors and pair-k/pair.json.
 * A pair already done is skipped; an unfinished one starts again from tick 0.
 */
export async function runPair(
  pair: PairSpec,
  epochs: number,
  mnist: Mnist,
  store: ExperimentStore,
  hooks: PairHooks = {},
): Promise<PairRecord> {
  const done = await readPairRecord(store, pair.index);
  if (done?.status === 'done') return done;
  const dir = pairDir(pair.index);
  const say = (m: string) => hooks.onMessage?.(pair.index, m);
  const start = await ensureEndpoint(store, mnist, pair.startSeed, epochs, say);
  const dest = pair.destSeed === null ? null : await ensureEndpoint(store, mnist, pair.destSeed, epochs, say);
  const record: PairRecord = {
    kind: 'lowloss-pair',
    version: 1,
    index: pair.index,
    startSeed: pair.startSeed,
    destSeed: pair.destSeed,
    start: endpointFile(pair.startSeed, epochs),
    dest: pair.destSeed === null ? null : endpointFile(pair.destSeed, epochs),
    config: pair.config,
    status: 'running',
    ticksDone: 0,
    pathMs: 0,
  };
  const writeRecord = () => store.write(`${dir}/pair.json`, JSON.stringify(record, null, 2) + '\n');
  await writeRecord();
  await store.write(`${dir}/points.jsonl`, '');
  // Records arrive synchronously from the session; writes queue in order.
  let writes: Promise<void> = Promise.resolve();
  const queue = (w: () => Promise<void>) => (writes = writes.then(w));
  const total = totalTicks(pair.config);
  const t0 = performance.now();
  say(`path ${pair.config.mode} seed ${pair.startSeed} → ${pair.destSeed ?? 'origin'}`);
  const result = await runPath(
    {
      config: pair.config,
      start,
      dest,
      mnist,
      testFull: hooks.testFull,
      control: hooks.control,
      yieldToHost: hooks.yieldToHost,
    },
    {
      point: (p) => {
        record.ticksDone = p.tick;
        queue(() => store.append(`${dir}/points.jsonl`, toJsonl(p) + '\n'));
        hooks.onTick?.(pair.index, p.tick, total);
      },
      snapshot: (s) => {
        const file = `${dir}/snapshots/tick-${String(s.tick).padStart(6, '0')}.safetensors`;
        const bytes = writeLenet5(new Map(Object.entries(s.tensors)), { tick: String(s.tick) });
        queue(() => store.write(file, bytes));
      },
    },
  );
  await writes;
  record.status = result.status;
  record.pathMs = performance.now() - t0;
  if (result.error) record.error = result.error;
  await writeRecord();
  say(`${result.status} at tick ${record.ticksDone} (${(record.pathMs / 1000).toFixed(1)} s)`);
  return record;
}
