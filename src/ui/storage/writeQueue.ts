import type { PointColumns } from '../../worker/protocol';
import type { StoredRun } from './runStorage';

/** What one flush writes for one run. */
export interface RunWrite {
  runId: string;
  /** Point chunks, in order. */
  chunks: Array<{ seq: number; columns: PointColumns }>;
  /** The whole record after the patches, when this queue knows the run's record; else null. */
  record: StoredRun | null;
  /** The merged patches (applied to the stored record when `record` is null). */
  patch: Partial<StoredRun>;
}

/**
 * The writes not yet committed, per run, with explicit state (no module globals): the next chunk
 * number of each run, and the last known whole record of the runs this page created or reopened, so a
 * flush writes each record with one put instead of a read and a write. A write that needs no read
 * commits at once, which matters when the page goes away (see RunStorage.flushOnPageHide).
 */
export class WriteQueue {
  private pending = new Map<string, { chunks: RunWrite['chunks']; patch: Partial<StoredRun> }>();
  private readonly seqs = new Map<string, number>();
  private readonly records = new Map<string, StoredRun>();

  /** The whole record as stored now (a run created or reopened here). */
  remember(run: StoredRun): void {
    this.records.set(run.runId, run);
  }

  /** The chunk number the run's next chunk gets (from storage, when a run is reopened). */
  setNextSeq(runId: string, seq: number): void {
    this.seqs.set(runId, seq);
  }

  patch(runId: string, patch: Partial<StoredRun>): void {
    Object.assign(this.entry(runId).patch, patch);
    const known = this.records.get(runId);
    if (known) this.records.set(runId, { ...known, ...patch });
  }

  append(runId: string, columns: PointColumns): void {
    const seq = this.seqs.get(runId) ?? 0;
    this.seqs.set(runId, seq + 1);
    this.entry(runId).chunks.push({ seq, columns });
  }

  /** Forgets a run (it is being deleted). */
  drop(runId: string): void {
    this.pending.delete(runId);
    this.seqs.delete(runId);
    this.records.delete(runId);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Everything pending, taken out of the queue (the caller writes it in one transaction). */
  take(): RunWrite[] {
    const out: RunWrite[] = [];
    for (const [runId, { chunks, patch }] of this.pending) {
      const changed = Object.keys(patch).length > 0;
      out.push({ runId, chunks, patch, record: changed ? (this.records.get(runId) ?? null) : null });
    }
    this.pending = new Map();
    return out;
  }

  private entry(runId: string) {
    let p = this.pending.get(runId);
    if (!p) this.pending.set(runId, (p = { chunks: [], patch: {} }));
    return p;
  }
}
