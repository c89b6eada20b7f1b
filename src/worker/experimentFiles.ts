import type { ExperimentStore } from '../core/experiments/store';

/**
 * An experiment's folder in IndexedDB (issue #15: everything an experiment produces is saved): the
 * same files the CLI writes (experiment.json, pair-k/points.jsonl, pair-k/pair.json, snapshots,
 * models/, summary.json, pca.json, dimensionality/…) behind the core's ExperimentStore, so the core's
 * pair runner, merge and joint PCA run on it unchanged. Workers write, the app reads and lists.
 * Its own database, apart from the single runs' (src/ui/storage).
 *
 * Stores: `experiments` (the app's records), `files` (one small entry per path: its generation and
 * how many appended chunks it has), `blobs` (a file's bytes as last written) and `chunks` (text
 * appended since, keyed by generation, so a rewrite never needs to delete old chunks first).
 */
export const EXPERIMENT_DB = 'lowloss-experiments';
export const EXPERIMENT_DB_VERSION = 1;

interface FileEntry {
  experiment: string;
  path: string;
  /** Bumped by every write; chunks of older generations are ignored. */
  gen: number;
  /** Chunks appended in this generation. */
  chunks: number;
}

/** Opens (and on first use creates) the experiments database. */
export function openExperimentDb(idb: IDBFactory = indexedDB): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = idb.open(EXPERIMENT_DB, EXPERIMENT_DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      for (const name of Array.from(db.objectStoreNames)) db.deleteObjectStore(name);
      db.createObjectStore('experiments', { keyPath: 'id' });
      db.createObjectStore('files', { keyPath: ['experiment', 'path'] });
      db.createObjectStore('blobs', { keyPath: ['experiment', 'path'] });
      db.createObjectStore('chunks', { keyPath: ['experiment', 'path', 'gen', 'seq'] });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error(`cannot open IndexedDB ${EXPERIMENT_DB}`));
  });
}

/** A key range, where the host has IDBKeyRange (every browser); results are filtered again anyway. */
export const keyRange = (lo: IDBValidKey, hi: IDBValidKey): IDBKeyRange | undefined =>
  typeof IDBKeyRange === 'undefined' ? undefined : IDBKeyRange.bound(lo, hi);

/** Every key [experiment, …] of one experiment: arrays sort after strings and numbers. */
export const experimentRange = (id: string) => keyRange([id], [id, []]);

/** Runs `work` in one transaction; resolves with what `work` returned once it commits. */
export function transact<T>(
  db: IDBDatabase,
  stores: string[],
  mode: IDBTransactionMode,
  work: (t: IDBTransaction) => () => T,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = db.transaction(stores, mode);
    const result = work(t);
    t.oncomplete = () => resolve(result());
    t.onerror = () => reject(t.error ?? new Error('experiment storage: transaction failed'));
    t.onabort = () => reject(t.error ?? new Error('experiment storage: transaction aborted (storage full?)'));
  });
}

/** A request's result, read once its transaction completed. */
function later<T>(req: IDBRequest<T>): () => T {
  return () => req.result;
}

const encode = (d: Uint8Array | string) => (typeof d === 'string' ? new TextEncoder().encode(d) : d.slice());

/** The ExperimentStore of experiment `id` in the open database. */
export function idbExperimentStore(db: IDBDatabase, id: string): ExperimentStore {
  return {
    read: (path) =>
      transact(db, ['files', 'blobs', 'chunks'], 'readonly', (t) => {
        let out: Uint8Array | null = null;
        const get = t.objectStore('files').get([id, path]) as IDBRequest<FileEntry | undefined>;
        get.onsuccess = () => {
          const f = get.result;
          if (!f) return;
          const blob = t.objectStore('blobs').get([id, path]) as IDBRequest<{ data: Uint8Array } | undefined>;
          const chunks = t.objectStore('chunks').getAll(keyRange([id, path, f.gen, 0], [id, path, f.gen, Infinity]));
          chunks.onsuccess = () => {
            const texts = (chunks.result as Array<FileEntry & { seq: number; text: string }>)
              .filter((c) => c.experiment === id && c.path === path && c.gen === f.gen)
              .sort((a, b) => a.seq - b.seq)
              .map((c) => new TextEncoder().encode(c.text));
            const base = blob.result?.data ?? new Uint8Array(0);
            out = new Uint8Array(base.length + texts.reduce((n, c) => n + c.length, 0));
            out.set(base);
            let at = base.length;
            for (const c of texts) {
              out.set(c, at);
              at += c.length;
            }
          };
        };
        return () => out;
      }),
    write: (path, data) =>
      transact(db, ['files', 'blobs'], 'readwrite', (t) => {
        const files = t.objectStore('files');
        const get = files.get([id, path]) as IDBRequest<FileEntry | undefined>;
        get.onsuccess = () => {
          files.put({ experiment: id, path, gen: (get.result?.gen ?? -1) + 1, chunks: 0 } satisfies FileEntry);
          t.objectStore('blobs').put({ experiment: id, path, data: encode(data) });
        };
        return () => undefined;
      }),
    append: (path, text) =>
      transact(db, ['files', 'chunks'], 'readwrite', (t) => {
        const files = t.objectStore('files');
        const get = files.get([id, path]) as IDBRequest<FileEntry | undefined>;
        get.onsuccess = () => {
          const f: FileEntry = get.result ?? { experiment: id, path, gen: 0, chunks: 0 };
          t.objectStore('chunks').put({ experiment: id, path, gen: f.gen, seq: f.chunks, text });
          files.put({ ...f, chunks: f.chunks + 1 });
        };
        return () => undefined;
      }),
    list: (dir) =>
      transact(db, ['files'], 'readonly', (t) => {
        const prefix = dir ? `${dir.replace(/\/$/, '')}/` : '';
        const all = t.objectStore('files').getAll(keyRange([id, prefix], [id, `${prefix}\uffff`]));
        return () => {
          const names = (all.result as FileEntry[])
            .filter((f) => f.experiment === id && f.path.startsWith(prefix))
            .map((f) => f.path.slice(prefix.length).split('/')[0]);
          return [...new Set(names)];
        };
      }),
  };
}

/** Deletes every file of experiment `id` and its record. */
export function deleteExperiment(db: IDBDatabase, id: string): Promise<void> {
  return transact(db, ['experiments', 'files', 'blobs', 'chunks'], 'readwrite', (t) => {
    const range = experimentRange(id)!;
    for (const s of ['files', 'blobs', 'chunks']) t.objectStore(s).delete(range);
    t.objectStore('experiments').delete(id);
    return () => undefined;
  });
}

/** Reads a request's result after its transaction: exported for the app's record store. */
export { later as resultOf };
