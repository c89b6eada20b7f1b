import type { RunConfig } from '../core/config';
import type { PointColumns } from '../worker/protocol';
import { PathSeries } from './pathSeries';

/**
 * Runs kept in IndexedDB, so nothing is lost on reload: a run's config, its endpoint models,
 * its latest checkpoint and every point, appended in the chunks the worker streams.
 * Writes are gathered and committed together at most every FLUSH_MS, in one transaction.
 */
export interface StoredRun {
  runId: string;
  createdAt: number;
  config: RunConfig;
  state: string;
  lastTick: number;
  tensorNames: string[];
  groupNames: string[];
  checkpoint: { tick: number; params: ArrayBuffer } | null;
}
export type StoredModels = Partial<Record<'A' | 'B', { name: string; bytes: ArrayBuffer }>>;

const DB = 'lowloss';
const FLUSH_MS = 300;
let dbPromise: Promise<IDBDatabase> | null = null;

function db(): Promise<IDBDatabase> {
  dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 2);
    req.onupgradeneeded = () => {
      for (const name of Array.from(req.result.objectStoreNames)) req.result.deleteObjectStore(name);
      req.result.createObjectStore('runs', { keyPath: 'runId' });
      req.result.createObjectStore('models', { keyPath: 'runId' });
      req.result.createObjectStore('chunks', { keyPath: ['runId', 'seq'] });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return dbPromise;
}

/** Runs `work` in one transaction; resolves when it commits. */
async function tx<T>(stores: string[], mode: IDBTransactionMode, work: (t: IDBTransaction) => IDBRequest<T> | void): Promise<T | undefined> {
  const d = await db();
  return new Promise((resolve, reject) => {
    const t = d.transaction(stores, mode);
    const req = work(t);
    t.oncomplete = () => resolve(req ? req.result : undefined);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error ?? new Error('storage transaction aborted'));
  });
}

const range = (runId: string) => IDBKeyRange.bound([runId, 0], [runId, Infinity]);

/** Next chunk number per run (set from storage when a run is reopened). */
const seqs = new Map<string, number>();
/** Writes not yet committed, per run. */
const pending = new Map<string, { chunks: Array<{ seq: number; columns: PointColumns }>; patch: Partial<StoredRun> }>();
let flushing: Promise<void> = Promise.resolve();
let timer: ReturnType<typeof setTimeout> | null = null;

function pendingFor(runId: string) {
  let p = pending.get(runId);
  if (!p) pending.set(runId, (p = { chunks: [], patch: {} }));
  if (!timer) timer = setTimeout(() => void flush(), FLUSH_MS);
  return p;
}

/** Commits everything pending in one transaction (after the previous flush). */
function flush(): Promise<void> {
  timer = null;
  const batch = new Map(pending);
  pending.clear();
  flushing = flushing.then(() =>
    tx(['runs', 'chunks'], 'readwrite', (t) => {
      const runs = t.objectStore('runs');
      for (const [runId, { chunks, patch }] of batch) {
        for (const c of chunks) t.objectStore('chunks').put({ runId, ...c });
        if (Object.keys(patch).length) {
          const get = runs.get(runId);
          get.onsuccess = () => get.result && runs.put({ ...get.result, ...patch });
        }
      }
    }).then(
      () => undefined,
      (e: Error) => runStorage.onError(e),
    ),
  );
  return flushing;
}

export const runStorage = {
  /** Where failed background writes are reported. */
  onError: (e: Error) => console.error(e),
  create(run: StoredRun, models: StoredModels): Promise<void> {
    seqs.set(run.runId, 0);
    // On the same chain as the flushes, so the record exists before any update to it.
    flushing = flushing.then(() =>
      tx(['runs', 'models'], 'readwrite', (t) => {
        t.objectStore('runs').put(run);
        t.objectStore('models').put({ runId: run.runId, models });
      }).then(() => undefined),
    );
    return flushing;
  },
  update(runId: string, patch: Partial<StoredRun>): void {
    Object.assign(pendingFor(runId).patch, patch);
  },
  appendPoints(runId: string, columns: PointColumns): void {
    const seq = seqs.get(runId) ?? 0;
    seqs.set(runId, seq + 1);
    pendingFor(runId).chunks.push({ seq, columns });
  },
  /** Commits what is pending now (e.g. before the page goes away). */
  flush,
  async list(): Promise<StoredRun[]> {
    await flush();
    const runs = (await tx(['runs'], 'readonly', (t) => t.objectStore('runs').getAll() as IDBRequest<StoredRun[]>)) ?? [];
    return runs.sort((a, b) => b.createdAt - a.createdAt);
  },
  async models(runId: string): Promise<StoredModels> {
    const r = await tx(['models'], 'readonly', (t) => t.objectStore('models').get(runId) as IDBRequest<{ models: StoredModels } | undefined>);
    return r?.models ?? {};
  },
  /** Every stored point of a run, as a series (optionally only up to a tick). */
  async loadSeries(run: StoredRun, upToTick = Infinity): Promise<PathSeries> {
    await flush();
    const chunks = (await tx(['chunks'], 'readonly', (t) => t.objectStore('chunks').getAll(range(run.runId)) as IDBRequest<Array<{ seq: number; columns: PointColumns }>>)) ?? [];
    const sorted = chunks.sort((a, b) => a.seq - b.seq);
    seqs.set(run.runId, sorted.length ? sorted[sorted.length - 1].seq + 1 : 0);
    const series = new PathSeries(run.runId, run.tensorNames, run.groupNames);
    for (const c of sorted) {
      // A continued run restarts after its checkpoint: its chunks replace what came after it.
      const first = c.columns.tick[0];
      if (series.length && first <= series.tick.data[series.length - 1]) series.continueAs(run.runId, first - 1);
      series.append(c.columns);
    }
    if (upToTick < Infinity) series.continueAs(run.runId, upToTick);
    return series;
  },
  async delete(runId: string): Promise<void> {
    seqs.delete(runId);
    pending.delete(runId);
    await flush();
    await tx(['runs', 'models', 'chunks'], 'readwrite', (t) => {
      t.objectStore('runs').delete(runId);
      t.objectStore('models').delete(runId);
      t.objectStore('chunks').delete(range(runId));
    });
  },
  async usage(): Promise<{ usedBytes: number; quotaBytes: number } | null> {
    const e = await navigator.storage?.estimate?.();
    return e ? { usedBytes: e.usage ?? 0, quotaBytes: e.quota ?? 0 } : null;
  },
};
