import type { RunConfig } from '../../core/config';
import type { PointColumns } from '../../worker/protocol';
import { PathSeries } from '../pathSeries';
import { WriteQueue, type RunWrite } from './writeQueue';

/**
 * Runs kept in IndexedDB, so nothing is lost on reload: a run's config, its endpoint models,
 * its latest checkpoint and every point, appended in the chunks the worker streams.
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
const range = (runId: string) => IDBKeyRange.bound([runId, 0], [runId, Infinity]);

/**
 * The IndexedDB side of the saved runs. Point writes are gathered and committed together at most
 * every `flushMs`, in one transaction, on one chain (so they commit in order); a checkpoint is
 * committed at once, with the points before it, because it is what a reload continues from.
 */
export class RunStorage {
  private dbPromise: Promise<IDBDatabase> | null = null;
  /** The open database, once it is: a flush while the page goes away must not wait a microtask. */
  private database: IDBDatabase | null = null;
  private readonly queue = new WriteQueue();
  /** A create waiting for its task: a page going away runs it first, so no run is stored without its models. */
  private pendingCreate: ((open?: IDBDatabase) => Promise<void>) | null = null;
  /** The chain every write joins: a write starts after the one before it committed or failed. */
  private flushing: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Where failed background writes are reported. */
  onError: (e: Error) => void = (e) => console.error(e);

  constructor(
    private readonly idb: () => IDBFactory = () => indexedDB,
    private readonly flushMs = 300,
  ) {}

  create(run: StoredRun, models: StoredModels): Promise<void> {
    this.queue.remember(run);
    this.queue.setNextSeq(run.runId, 0);
    let started: Promise<void> | null = null;
    const start = (open?: IDBDatabase) =>
      (started ??= this.tx(
        ['runs', 'models'],
        'readwrite',
        (t) => {
          t.objectStore('runs').put(run);
          t.objectStore('models').put({ runId: run.runId, models });
          t.commit();
        },
        open,
      ).then(() => undefined));
    this.pendingCreate = start;
    // On the same chain as the flushes, so the record exists before any update to it; and a task later:
    // the request that creates a run also mounts its panels, and the models' put (hundreds of KB) would
    // lengthen that task (bench/longTaskTrace.ts).
    return this.chain(() =>
      new Promise((r) => setTimeout(r, 0))
        .then(() => start())
        .finally(() => {
          if (this.pendingCreate === start) this.pendingCreate = null;
        }),
    );
  }

  update(runId: string, patch: Partial<StoredRun>): void {
    this.queue.patch(runId, patch);
    this.schedule(patch.checkpoint ? 0 : this.flushMs);
  }

  appendPoints(runId: string, columns: PointColumns): void {
    this.queue.append(runId, columns);
    this.schedule(this.flushMs);
  }

  /** Commits what is pending now (e.g. before the page goes away); resolves when all earlier writes are done. */
  flush = (): Promise<void> => {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue.take();
    if (!batch.length) return this.flushing;
    return this.chain(() => this.write(batch).catch((e: Error) => this.onError(e)));
  };

  /**
   * Commits pending writes when the page is hidden or unloaded: a reload otherwise loses up to
   * `flushMs` of points and the newest checkpoint. The writes need no read, so the transaction is
   * committed in the same task.
   */
  flushOnPageHide(target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): () => void {
    const onHide = () => {
      if (this.database && this.pendingCreate) this.pendingCreate(this.database).catch((e: Error) => this.onError(e));
      const batch = this.database ? this.queue.take() : [];
      // IndexedDB runs read-write transactions with overlapping stores in the order they were created,
      // so this one may start now, off the chain, and still commit after the writes before it.
      if (this.database && batch.length) this.write(batch, this.database).catch((e: Error) => this.onError(e));
      else void this.flush();
    };
    target.addEventListener('pagehide', onHide);
    return () => target.removeEventListener('pagehide', onHide);
  }

  async list(): Promise<StoredRun[]> {
    await this.flush();
    const runs =
      (await this.tx(['runs'], 'readonly', (t) => t.objectStore('runs').getAll() as IDBRequest<StoredRun[]>)) ?? [];
    return runs.sort((a, b) => b.createdAt - a.createdAt);
  }

  async models(runId: string): Promise<StoredModels> {
    const r = await this.tx(
      ['models'],
      'readonly',
      (t) => t.objectStore('models').get(runId) as IDBRequest<{ models: StoredModels }>,
    );
    return r?.models ?? {};
  }

  /** Every stored point of a run, as a series (optionally only up to a tick); later writes continue it. */
  async loadSeries(run: StoredRun, upToTick = Infinity): Promise<PathSeries> {
    await this.flush();
    type Chunk = { seq: number; columns: PointColumns };
    const chunks =
      (await this.tx(
        ['chunks'],
        'readonly',
        (t) => t.objectStore('chunks').getAll(range(run.runId)) as IDBRequest<Chunk[]>,
      )) ?? [];
    const sorted = chunks.sort((a, b) => a.seq - b.seq);
    this.queue.setNextSeq(run.runId, sorted.length ? sorted[sorted.length - 1].seq + 1 : 0);
    this.queue.remember(run);
    const series = new PathSeries(run.runId, run.tensorNames, run.groupNames);
    for (const c of sorted) {
      // A continued run restarts after its checkpoint: its chunks replace what came after it.
      const first = c.columns.tick[0];
      if (series.length && first <= series.tick.data[series.length - 1]) series.continueAs(run.runId, first - 1);
      series.append(c.columns);
    }
    if (upToTick < Infinity) series.continueAs(run.runId, upToTick);
    return series;
  }

  async delete(runId: string): Promise<void> {
    this.queue.drop(runId);
    await this.flush();
    await this.chain(() =>
      this.tx(['runs', 'models', 'chunks'], 'readwrite', (t) => {
        t.objectStore('runs').delete(runId);
        t.objectStore('models').delete(runId);
        t.objectStore('chunks').delete(range(runId));
      }).then(() => undefined),
    );
  }

  async usage(): Promise<{ usedBytes: number; quotaBytes: number } | null> {
    const e = await navigator.storage?.estimate?.();
    return e ? { usedBytes: e.usage ?? 0, quotaBytes: e.quota ?? 0 } : null;
  }

  private schedule(ms: number): void {
    if (this.timer && ms > 0) return; // a flush is already due no later than this one
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), ms);
  }

  /** Runs `work` after every earlier write; a failure is the caller's, and does not stop the chain. */
  private chain(work: () => Promise<void>): Promise<void> {
    const p = this.flushing.then(work);
    this.flushing = p.catch(() => undefined);
    return p;
  }

  private write(batch: RunWrite[], open?: IDBDatabase): Promise<void> {
    return this.tx(
      ['runs', 'chunks'],
      'readwrite',
      (t) => {
        const runs = t.objectStore('runs');
        let reads = 0;
        for (const w of batch) {
          for (const c of w.chunks) t.objectStore('chunks').put({ runId: w.runId, ...c });
          if (w.record) runs.put(w.record);
          else if (Object.keys(w.patch).length) {
            // A run this page neither created nor reopened: read the stored record to patch it.
            reads++;
            const get = runs.get(w.runId);
            get.onsuccess = () => get.result && runs.put({ ...get.result, ...w.patch });
          }
        }
        if (!reads) t.commit();
      },
      open,
    ).then(() => undefined);
  }

  private db(): Promise<IDBDatabase> {
    this.dbPromise ??= new Promise((resolve, reject) => {
      const req = this.idb().open(DB, 2);
      req.onupgradeneeded = () => {
        for (const name of Array.from(req.result.objectStoreNames)) req.result.deleteObjectStore(name);
        req.result.createObjectStore('runs', { keyPath: 'runId' });
        req.result.createObjectStore('models', { keyPath: 'runId' });
        req.result.createObjectStore('chunks', { keyPath: ['runId', 'seq'] });
      };
      req.onsuccess = () => resolve((this.database = req.result));
      req.onerror = () => reject(req.error);
    });
    return this.dbPromise;
  }

  /** Runs `work` in one transaction (created synchronously when `open` is given); resolves when it commits. */
  private tx<T>(
    stores: string[],
    mode: IDBTransactionMode,
    work: (t: IDBTransaction) => IDBRequest<T> | void,
    open?: IDBDatabase,
  ): Promise<T | undefined> {
    if (!open) return this.db().then((d) => this.tx(stores, mode, work, d));
    return new Promise((resolve, reject) => {
      const t = open.transaction(stores, mode);
      const req = work(t);
      t.oncomplete = () => resolve(req ? req.result : undefined);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error ?? new Error('storage transaction aborted'));
    });
  }
}

export const runStorage = new RunStorage();
