import type { PairRecord } from '../../core/experiments/pairRun';
import type { ExperimentStore } from '../../core/experiments/store';
import {
  deleteExperiment,
  idbExperimentStore,
  openExperimentDb,
  resultOf,
  transact,
} from '../../worker/experimentFiles';
import type { ExperimentRecord } from './experimentState';

/**
 * The app's side of the saved experiments (issue #15): the records listed to reopen, and read
 * access to each experiment's files (written by the experiment workers, src/worker/experimentFiles.ts).
 * Its own IndexedDB database, apart from the single runs' (src/ui/storage).
 */
export class ExperimentStorage {
  private dbPromise: Promise<IDBDatabase> | null = null;

  constructor(private readonly idb: () => IDBFactory = () => indexedDB) {}

  private db(): Promise<IDBDatabase> {
    this.dbPromise ??= openExperimentDb(this.idb());
    this.dbPromise.catch(() => (this.dbPromise = null));
    return this.dbPromise;
  }

  /** Every saved experiment, newest first. */
  async list(): Promise<ExperimentRecord[]> {
    const db = await this.db();
    const all = await transact(db, ['experiments'], 'readonly', (t) =>
      resultOf(t.objectStore('experiments').getAll() as IDBRequest<ExperimentRecord[]>),
    );
    return all.filter((r) => r.kind === 'lowloss-experiment-record').sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Saves (or replaces) a record. */
  async put(record: ExperimentRecord): Promise<void> {
    const db = await this.db();
    await transact(db, ['experiments'], 'readwrite', (t) => {
      t.objectStore('experiments').put(record);
      return () => undefined;
    });
  }

  /** The experiment's files (the same folder the workers write). */
  async files(id: string): Promise<ExperimentStore> {
    return idbExperimentStore(await this.db(), id);
  }

  /** A JSON file of the experiment, parsed, or null when it does not exist. */
  async readJson<T>(id: string, path: string): Promise<T | null> {
    const bytes = await (await this.files(id)).read(path);
    return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as T) : null;
  }

  /** The pair.json of every pair that has one. */
  async pairRecords(id: string, pairs: number): Promise<PairRecord[]> {
    const out: PairRecord[] = [];
    for (let k = 1; k <= pairs; k++) {
      const r = await this.readJson<PairRecord>(id, `pair-${k}/pair.json`);
      if (r?.kind === 'lowloss-pair') out.push(r);
    }
    return out;
  }

  /** Deletes the experiment: its record and every file. */
  async delete(id: string): Promise<void> {
    await deleteExperiment(await this.db(), id);
  }
}

export const experimentStorage = new ExperimentStorage();
