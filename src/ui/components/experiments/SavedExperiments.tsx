import { experimentController } from '../../experiments/experimentController';
import { useExperiments } from '../../experiments/experimentsStore';

/** The experiments saved in IndexedDB, newest first, to reopen or delete. */
export function SavedExperiments() {
  const saved = useExperiments((s) => s.saved);
  const currentId = useExperiments((s) => s.current?.id ?? null);
  const busy = useExperiments((s) => s.runId !== null);
  return (
    <div className="exp-saved" data-testid="exp-saved">
      <h3>Saved experiments</h3>
      {saved.length === 0 ? (
        <p className="note">None yet: everything an experiment produces is kept in this browser (IndexedDB).</p>
      ) : (
        <ul>
          {saved.map((r) => (
            <li key={r.id} className={r.id === currentId ? 'current' : ''} data-testid="exp-saved-item">
              <span className="name">{r.name}</span>
              <span className="meta">
                {new Date(r.createdAt).toLocaleString('en-GB')} · {r.status} · {r.pairsDone}/{r.plan.pairs} pairs
              </span>
              <button
                type="button"
                disabled={busy}
                onClick={() => void experimentController.open(r.id)}
                data-testid="exp-open"
              >
                Open
              </button>
              <button type="button" disabled={busy} onClick={() => void experimentController.remove(r.id)}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
