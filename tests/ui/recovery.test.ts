import { describe, expect, it } from 'vitest';
import { Store } from '../../src/ui/state/store';
import { continueOnBackend, recoveryOffer, type EngineControl } from '../../src/ui/recovery';
import { ev, runView } from './fixtures';

class FakeEngine implements EngineControl {
  calls: string[] = [];
  constructor(private store: Store) {}
  start(backend: string | null): void {
    this.calls.push(`start ${backend}`);
    this.store.dispatch({ type: 'engineStarting' });
  }
  loadModel(slot: string): void {
    this.calls.push(`load ${slot}`);
  }
  startPath(_c: unknown, resume?: { tick: number }, storeId?: string): string {
    this.calls.push(`path from ${resume?.tick} into ${storeId}`);
    return 'r2';
  }
}

function crashedRun() {
  const store = new Store();
  store.dispatch(
    ev({ type: 'ready', backend: 'webgpu', reason: '', probes: [], crossOriginIsolated: false, threads: false }),
  );
  store.dispatch(ev({ type: 'dataLoaded', train: 1, test: 1, ms: 1 }));
  store.modelBytes.set('A', { name: 'a', bytes: new ArrayBuffer(4) });
  store.dispatch({ type: 'runRequested', run: runView('r1', { state: 'running' }) });
  store.dispatch(ev({ type: 'checkpoint', runId: 'r1', tick: 40, params: new ArrayBuffer(8) }));
  return store;
}

describe('crash recovery', () => {
  it('offers to continue after a crash or a backend failure, from the last checkpoint', () => {
    const store = crashedRun();
    expect(recoveryOffer(store.get())).toBeNull();
    store.dispatch({ type: 'workerLost', message: 'the engine worker crashed' });
    expect(recoveryOffer(store.get())).toEqual({ reason: 'the engine worker crashed', tick: 40 });
    const failed = crashedRun();
    failed.dispatch(ev({ type: 'error', scope: 'backend', message: 'device lost', runId: 'r1', recoverable: true }));
    expect(recoveryOffer(failed.get())).toEqual({ reason: 'The run failed.', tick: 40 });
  });

  it('restarts the engine, waits until it is ready, restores the models, then continues the stored run', () => {
    const store = crashedRun();
    store.dispatch({ type: 'workerLost', message: 'crashed' });
    const engine = new FakeEngine(store);
    continueOnBackend(store, engine, 'wasm');
    expect(store.get().errors).toEqual([]);
    expect(engine.calls).toEqual(['start wasm']); // the old worker's "ready" does not count
    store.dispatch(
      ev({ type: 'ready', backend: 'wasm', reason: '', probes: [], crossOriginIsolated: false, threads: false }),
    );
    expect(engine.calls).toEqual(['start wasm']);
    store.dispatch(ev({ type: 'dataLoaded', train: 1, test: 1, ms: 1 }));
    expect(engine.calls).toEqual(['start wasm', 'load A', 'path from 40 into r1']);
    store.dispatch(ev({ type: 'dataLoaded', train: 1, test: 1, ms: 1 }));
    expect(engine.calls).toHaveLength(3); // once
  });
});
