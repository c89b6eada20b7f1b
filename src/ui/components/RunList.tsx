import { useCallback, useEffect, useState } from 'react';
import { reopenRun } from '../runActions';
import { runStorage, type StoredRun } from '../storage/runStorage';
import { store, useUi } from '../state/store';

/** Saved runs (IndexedDB): reopen, continue an unfinished one from its checkpoint, delete, prune. */
export function RunList({ busy }: { busy: boolean }) {
  const [runs, setRuns] = useState<StoredRun[]>([]);
  const [usage, setUsage] = useState<string>('');
  const ready = useUi((s) => s.backend !== null && s.data.state === 'ready');
  const current = useUi((s) => s.run?.storeId ?? null);
  const currentState = useUi((s) => s.run?.state ?? null);
  const refresh = useCallback(async () => {
    try {
      setRuns(await runStorage.list());
      const u = await runStorage.usage();
      if (u) setUsage(`${(u.usedBytes / 1e6).toFixed(1)} MB used of ${(u.quotaBytes / 1e9).toFixed(1)} GB`);
    } catch (e) {
      store.dispatch({ type: 'error', error: { scope: 'storage', message: (e as Error).message, recoverable: true } });
    }
  }, []);
  useEffect(() => void refresh(), [refresh, current, currentState]);
  if (!runs.length) return null;
  const unfinished = (r: StoredRun) => r.state !== 'done' && r.checkpoint !== null;
  return (
    <section className="step" data-testid="run-list">
      <h2>Saved runs</h2>
      <p className="hint">Every run is kept in this browser (IndexedDB), points and checkpoints included. {usage}</p>
      <table className="runs">
        <tbody>
          {runs.map((r) => (
            <tr key={r.runId} data-testid="saved-run">
              <td>{new Date(r.createdAt).toLocaleString()}</td>
              <td>{r.config.mode.toUpperCase()}</td>
              <td>
                tick {r.lastTick} / {r.config.ticks}
              </td>
              <td>
                {r.runId !== current && ['running', 'paused', 'starting'].includes(r.state) ? 'interrupted' : r.state}
                {r.runId === current ? ' (shown)' : ''}
              </td>
              <td>
                <button disabled={busy} onClick={() => void reopenRun(r, false)}>
                  Open
                </button>
                <button
                  data-testid="compare-run"
                  disabled={r.runId === current || r.tensorNames.length === 0}
                  title="Overlay this run's loss and distance curves (dotted)"
                  onClick={() => void runStorage.loadSeries(r).then((s) => store.setCompare(s))}
                >
                  Compare
                </button>
                {unfinished(r) && (
                  <button
                    data-testid="continue-run"
                    disabled={busy || !ready}
                    onClick={() => void reopenRun(r, true)}
                    title="Continue from the last stored checkpoint"
                  >
                    Continue from tick {r.checkpoint!.tick}
                  </button>
                )}
                <button
                  disabled={busy && r.runId === current}
                  onClick={() => void runStorage.delete(r.runId).then(refresh)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {store.compare && <button onClick={() => store.setCompare(null)}>Clear comparison</button>}
      <button
        disabled={busy}
        onClick={() =>
          void Promise.all(
            runs.filter((r) => r.state === 'done' && r.runId !== current).map((r) => runStorage.delete(r.runId)),
          ).then(refresh)
        }
      >
        Delete finished runs
      </button>
    </section>
  );
}
