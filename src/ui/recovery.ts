import type { RunConfig } from '../core/config';
import type { Slot } from '../worker/protocol';
import type { Store } from './state/store';
import type { UiState } from './state/uiState';

/** What the UI offers after the engine worker crashed or the GPU was lost, or null for nothing. */
export interface RecoveryOffer {
  /** Why (the crash message, or that the run failed on its backend). */
  reason: string;
  /** The tick the run would continue from. */
  tick: number;
}

/** A crash or a backend failure of the running run, with a checkpoint to continue from. */
export function recoveryOffer(s: UiState): RecoveryOffer | null {
  if (!s.checkpoint) return null;
  const backendFailed = s.run?.state === 'failed' && s.errors.some((e) => e.scope === 'backend');
  if (!s.workerLost && !backendFailed) return null;
  return { reason: s.workerLost ?? 'The run failed.', tick: s.checkpoint.tick };
}

/** The parts of the bridge recovery drives (an interface, so it is tested without workers). */
export interface EngineControl {
  start(backend: string | null): void;
  loadModel(slot: Slot, name: string, bytes: ArrayBuffer): void;
  startPath(config: RunConfig, resume?: { tick: number; params: ArrayBuffer }, storeId?: string): string;
}

/**
 * Continues the current run on another backend: starts a new engine worker, and once it is ready
 * with data gives it the endpoint models again (they lived in the old worker) and continues the
 * run from the last checkpoint, in the same stored run. Returns a function that cancels the wait.
 */
export function continueOnBackend(store: Store, engine: EngineControl, backend: string): () => void {
  const { checkpoint, run } = store.get();
  store.dispatch({ type: 'clearErrors' });
  engine.start(backend);
  const ready = (s: UiState) => s.data.state === 'ready' && s.backend !== null;
  let done = false;
  const go = () => {
    if (done || !ready(store.get())) return;
    done = true;
    unsubscribe();
    for (const [slot, m] of store.modelBytes) engine.loadModel(slot, m.name, m.bytes.slice(0));
    if (checkpoint && run)
      engine.startPath(run.config, { tick: checkpoint.tick, params: checkpoint.params }, run.storeId);
  };
  const unsubscribe = store.subscribe(go);
  go();
  return () => {
    done = true;
    unsubscribe();
  };
}
