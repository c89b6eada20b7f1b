import type { PairSpec } from './experiment';
import type { PairHooks, PairRecord } from './pairRun';

/**
 * Many paths at once (SPEC §10): a pool of engine workers, one per core, each running one pair at
 * a time. Host-agnostic: the CLI spawns Node worker threads, the app could spawn Web Workers.
 * One tagged union per direction (STYLE.md, "Typed worker protocol").
 */
export type ToPairWorker = { type: 'pair'; pair: PairSpec; epochs: number } | { type: 'stop' };

export type FromPairWorker =
  | { type: 'message'; pair: number; message: string }
  | { type: 'tick'; pair: number; tick: number; total: number }
  | { type: 'done'; pair: number; record: PairRecord }
  | { type: 'failed'; pair: number; message: string };

/** A worker as the pool sees it. */
export interface PairWorker {
  post(message: ToPairWorker): void;
  onMessage(listener: (message: FromPairWorker) => void): void;
  /** The worker died (crash, out of memory) without answering. */
  onExit(listener: (error: Error) => void): void;
  terminate(): Promise<unknown> | void;
}

export interface PoolHooks {
  onMessage?: (pair: number, message: string) => void;
  onTick?: (pair: number, tick: number, total: number) => void;
  /** A pair finished (done, stopped or failed). */
  onDone?: (record: PairRecord) => void;
}

/** A record for a pair whose worker failed before it could write one. */
const failedRecord = (pair: PairSpec, message: string): PairRecord => ({
  kind: 'lowloss-pair',
  version: 1,
  index: pair.index,
  startSeed: pair.startSeed,
  destSeed: pair.destSeed,
  start: '',
  dest: null,
  config: pair.config,
  status: 'failed',
  ticksDone: 0,
  pathMs: 0,
  error: message,
});

/**
 * Runs the pairs on `threads` workers from `spawn` (each takes the next pair when it finishes one);
 * resolves with every pair's record, in pair order, once all are done. `stop()` of the returned
 * handle asks every worker to stop after its current tick.
 */
export function runPairPool(
  pairs: readonly PairSpec[],
  epochs: number,
  spawn: () => PairWorker,
  threads: number,
  hooks: PoolHooks = {},
): { done: Promise<PairRecord[]>; stop(): void } {
  const queue = [...pairs];
  const records = new Map<number, PairRecord>();
  const workers: PairWorker[] = [];
  let stopped = false;
  const done = new Promise<PairRecord[]>((resolve) => {
    let live = 0;
    const finish = () => {
      if (--live > 0) return;
      const notRun = (p: PairSpec): PairRecord => ({
        ...failedRecord(p, 'not run'),
        status: stopped ? 'stopped' : 'failed',
      });
      resolve(pairs.map((p) => records.get(p.index) ?? notRun(p)));
    };
    const feed = (w: PairWorker) => {
      const next = stopped ? undefined : queue.shift();
      if (next) return { next, post: () => w.post({ type: 'pair', pair: next, epochs }) };
      void w.terminate();
      finish();
      return null;
    };
    // Counted before the loop: each worker takes a pair from the queue as it starts.
    const count = Math.min(threads, queue.length);
    for (let i = 0; i < count; i++) {
      const w = spawn();
      workers.push(w);
      live++;
      let current = feed(w);
      w.onMessage((m) => {
        if (m.type === 'message') hooks.onMessage?.(m.pair, m.message);
        else if (m.type === 'tick') hooks.onTick?.(m.pair, m.tick, m.total);
        else {
          const record = m.type === 'done' ? m.record : failedRecord(current!.next, m.message);
          records.set(m.pair, record);
          hooks.onDone?.(record);
          current = feed(w);
          current?.post();
        }
      });
      w.onExit((error) => {
        if (!current) return;
        const record = failedRecord(current.next, error.message);
        records.set(record.index, record);
        hooks.onDone?.(record);
        current = null;
        finish();
      });
      current?.post();
    }
    if (live === 0) resolve([]);
  });
  return {
    done,
    stop() {
      stopped = true;
      for (const w of workers) w.post({ type: 'stop' });
    },
  };
}

/**
 * The worker side: answers the pool's messages by running each pair with `run` (one at a time,
 * in arrival order) and posting its progress and record.
 */
export function servePairs(
  post: (message: FromPairWorker) => void,
  run: (pair: PairSpec, epochs: number, hooks: PairHooks) => Promise<PairRecord>,
  hooks: Pick<PairHooks, 'control'> = {},
): (message: ToPairWorker) => void {
  let chain = Promise.resolve();
  return (m) => {
    if (m.type === 'stop') {
      hooks.control?.stop();
      return;
    }
    chain = chain.then(async () => {
      const pairHooks: PairHooks = {
        ...hooks,
        onMessage: (pair, message) => post({ type: 'message', pair, message }),
        onTick: (pair, tick, total) => post({ type: 'tick', pair, tick, total }),
      };
      try {
        post({ type: 'done', pair: m.pair.index, record: await run(m.pair, m.epochs, pairHooks) });
      } catch (e) {
        post({ type: 'failed', pair: m.pair.index, message: (e as Error).message });
      }
    });
  };
}
