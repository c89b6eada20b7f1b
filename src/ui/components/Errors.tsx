import { bridge } from '../bridge';
import { continueOnBackend, recoveryOffer } from '../recovery';
import { store, useUi } from '../state/store';

/** Errors, each dismissable; after a crash, the offer to continue on another backend (recovery.ts). */
export function Errors() {
  const errors = useUi((s) => s.errors);
  // Primitives only: useSyncExternalStore needs a stable snapshot, and recoveryOffer builds a new object.
  const reason = useUi((s) => recoveryOffer(s)?.reason ?? null);
  const tick = useUi((s) => recoveryOffer(s)?.tick ?? null);
  if (!errors.length) return null;
  return (
    <div className="errors" role="alert">
      {errors.map((e) => (
        <div key={e.id} className="error" data-testid="error">
          <b>{e.scope}:</b> {e.message}
          {e.tick !== undefined && <> (at tick {e.tick}; the points so far are kept)</>}
          <button
            aria-label={`Dismiss: ${e.message}`}
            onClick={() => store.dispatch({ type: 'dismissError', id: e.id })}
          >
            dismiss
          </button>
        </div>
      ))}
      {reason !== null && (
        <div className="recover">
          {reason} Continue from the checkpoint at tick {tick} on another backend:
          <button data-testid="continue-wasm" onClick={() => continueOnBackend(store, bridge, 'wasm')}>
            wasm
          </button>
          <button onClick={() => continueOnBackend(store, bridge, 'cpu')}>cpu</button>
        </div>
      )}
    </div>
  );
}
