import { isCurrentRun } from '../state/reducer';
import type { Store } from '../state/store';
import type { StoredModels, StoredRun } from './runStorage';

/** The writes the persistence subscriber needs (RunStorage, or a fake in tests). */
export interface RunWriter {
  create(run: StoredRun, models: StoredModels): Promise<void>;
  update(runId: string, patch: Partial<StoredRun>): void;
  appendPoints(runId: string, columns: import('../../worker/protocol').PointColumns): void;
  onError: (e: Error) => void;
}

/**
 * Persistence as a subscriber of the store: every action that changes what a saved run holds is
 * written to storage (new run, its tensor layout, points, checkpoints, state). Nothing else in the
 * UI writes runs, so the stored record follows the state the UI shows.
 */
export function persistRuns(store: Store, storage: RunWriter): () => void {
  storage.onError = (e) =>
    store.dispatch({
      type: 'error',
      error: { scope: 'storage', message: `could not save the run: ${e.message}`, recoverable: true },
    });
  return store.onAction((a, prev, next) => {
    if (a.type === 'runRequested' && a.record) {
      const { run } = a;
      const record: StoredRun = {
        runId: run.storeId,
        createdAt: a.record.createdAt,
        config: run.config,
        state: run.state,
        lastTick: 0,
        tensorNames: [],
        groupNames: [],
        checkpoint: null,
      };
      storage.create(record, a.record.models).catch(storage.onError);
      return;
    }
    if (a.type !== 'worker') return;
    const e = a.event;
    const run = next.run;
    if (!run || !('runId' in e) || !isCurrentRun(prev, e.runId)) return;
    switch (e.type) {
      case 'runStarted':
        storage.update(run.storeId, { tensorNames: e.tensorNames, groupNames: e.groupNames, state: 'running' });
        return;
      case 'points':
        storage.appendPoints(run.storeId, e.columns);
        return;
      case 'checkpoint':
        storage.update(run.storeId, { checkpoint: { tick: e.tick, params: e.params }, lastTick: e.tick });
        return;
      case 'runState':
        if (next.run !== prev.run) storage.update(run.storeId, { state: run.state, lastTick: run.lastTick });
        return;
      case 'error':
        storage.update(run.storeId, { state: 'failed', lastTick: run.lastTick });
        return;
      default:
        return;
    }
  });
}
