import type { Store } from '../state/store';
import type { PathSnapshotFile } from '../../worker/geometryProtocol';

/** Snapshots kept per path: past this, every other one is dropped (about 250 kB each). */
const MAX_SNAPSHOTS = 48;

/**
 * The recorded path's snapshots for flatness along the path (issue #14): the engine's `checkpoint`
 * events of the current LLPF run (P every `snapshotEvery` ticks, as safetensors), read from the app's
 * store without changing it. A new run starts a new list; a continued run keeps its earlier ticks.
 */
export class PathSnapshots {
  runId: string | null = null;
  private list: PathSnapshotFile[] = [];

  constructor(private readonly onChange: (runId: string | null, ticks: number[]) => void) {}

  /** Listens to the app store's worker events; returns the unsubscribe function. */
  attach(store: Store): () => void {
    return store.onAction((a, prev) => {
      if (a.type !== 'worker' || a.event.type !== 'checkpoint') return;
      const e = a.event;
      if (e.runId !== this.runId) {
        const continued = prev.run?.runId === e.runId && prev.run.resumedFrom !== null;
        if (!continued) this.list = [];
        this.runId = e.runId;
      }
      this.add(e.tick, e.params);
    });
  }

  add(tick: number, bytes: ArrayBuffer): void {
    this.list = [...this.list.filter((s) => s.tick < tick), { tick, bytes }];
    if (this.list.length > MAX_SNAPSHOTS) this.list = this.list.filter((_, i) => i % 2 === 0);
    this.onChange(
      this.runId,
      this.list.map((s) => s.tick),
    );
  }

  /** Copies of the snapshots' bytes, for a job (the app store keeps its own). */
  copies(): PathSnapshotFile[] {
    return this.list.map((s) => ({ tick: s.tick, bytes: s.bytes.slice(0) }));
  }
}
