import { PathSeries } from '../pathSeries';
import { isCurrentRun } from './reducer';
import type { Store } from './store';

/**
 * Keeps the bulk data beside the state in step with worker events: the run's path series (points are
 * appended, a resumed run continues the series after its checkpoint) and the endpoint models' bytes.
 */
export function attachSeries(store: Store): () => void {
  return store.onAction((a, prev) => {
    if (a.type !== 'worker') return;
    const e = a.event;
    switch (e.type) {
      case 'model':
        store.modelBytes.set(e.info.slot, { name: e.info.name, bytes: e.bytes });
        return;
      case 'runStarted': {
        const run = prev.run;
        if (!run || !isCurrentRun(prev, e.runId)) return;
        // A resumed run keeps the points up to its checkpoint; a new run starts empty.
        if (run.resumedFrom !== null && store.series) {
          store.series.continueAs(e.runId, run.resumedFrom);
        } else store.resetRun(new PathSeries(e.runId, e.tensorNames, e.groupNames));
        return;
      }
      case 'points':
        // Points of an old run are dropped.
        if (isCurrentRun(prev, e.runId) && store.series?.runId === e.runId) store.series.append(e.columns);
        return;
      default:
        return;
    }
  });
}
