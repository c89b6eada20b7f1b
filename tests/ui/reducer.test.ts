import { describe, expect, it } from 'vitest';
import { reduce, type UiAction } from '../../src/ui/state/reducer';
import { INITIAL_STATE, type UiState } from '../../src/ui/state/uiState';
import { columns, ev, runView, type Event } from './fixtures';

const worker = (event: Event): UiAction => ev(event);
const run = (s: UiState, ...actions: UiAction[]) => actions.reduce(reduce, s);

describe('UI reducer (worker events → state)', () => {
  it('tracks the engine: backend, data, endpoint training and models', () => {
    const s = run(
      INITIAL_STATE,
      { type: 'engineStarting' },
      worker({ type: 'ready', backend: 'wasm', reason: 'r', probes: [], crossOriginIsolated: true, threads: true }),
      worker({ type: 'dataLoaded', train: 60000, test: 10000, ms: 900 }),
      { type: 'trainRequested', slot: 'A' },
      worker({
        type: 'trainProgress',
        slot: 'A',
        step: 10,
        totalSteps: 100,
        epoch: 0.1,
        trainLoss: 1.5,
        testAccuracy: null,
        testLoss: null,
        stepsPerSecond: 20,
      }),
      worker({ type: 'model', info: { slot: 'A', name: 'a', testAccuracy: 0.98 }, bytes: new ArrayBuffer(4) }),
    );
    expect(s.backend?.name).toBe('wasm');
    expect(s.data).toEqual({ state: 'ready', ms: 900 });
    expect(s.training.A).toMatchObject({ step: 10, totalSteps: 100, curve: [[10, 1.5]] });
    expect(s.models.A?.testAccuracy).toBe(0.98);
    expect(INITIAL_STATE.models.A).toBeNull(); // pure: the input state is untouched
  });

  it('marks MNIST failed on a data error, loading again on a retry, and loaded when it arrives', () => {
    const failed = run(
      INITIAL_STATE,
      { type: 'engineStarting' },
      worker({ type: 'error', scope: 'data', message: 'could not load train-images-idx3-ubyte', recoverable: true }),
    );
    expect(failed.data.state).toBe('error');
    expect(failed.errors.map((e) => e.scope)).toEqual(['data']);
    const retried = run(failed, { type: 'dataRequested' });
    expect(retried.data.state).toBe('loading');
    const loaded = run(retried, worker({ type: 'dataLoaded', train: 60000, test: 10000, ms: 800 }));
    expect(loaded.data).toEqual({ state: 'ready', ms: 800 });
  });

  it('follows the current run and drops events of an old run', () => {
    const a = run(INITIAL_STATE, { type: 'runRequested', run: runView('r1') });
    const s = run(
      a,
      worker({ type: 'runStarted', runId: 'r1', tensorNames: ['t'], groupNames: ['g'], totalTicks: 50 }),
      worker({ type: 'runState', runId: 'r1', state: 'running' }),
      worker({ type: 'points', runId: 'r1', columns: columns(0, 9), ticksPerSecond: 5, stepsPerSecond: 0 }),
      worker({ type: 'checkpoint', runId: 'r1', tick: 5, params: new ArrayBuffer(8) }),
    );
    expect(s.run).toMatchObject({ state: 'running', totalTicks: 50, lastTick: 9, ticksPerSecond: 5 });
    expect(s.checkpoint?.tick).toBe(5);
    const old = [
      worker({ type: 'points', runId: 'r0', columns: columns(10, 20), ticksPerSecond: 1, stepsPerSecond: 0 }),
      worker({ type: 'checkpoint', runId: 'r0', tick: 20, params: new ArrayBuffer(8) }),
      worker({ type: 'runState', runId: 'r0', state: 'done' }),
    ];
    for (const action of old) expect(reduce(s, action)).toBe(s);
  });

  it('a run error fails the run, and a later stop does not hide the failure', () => {
    const s = run(
      INITIAL_STATE,
      { type: 'runRequested', run: runView('r1', { state: 'running' }) },
      worker({ type: 'error', scope: 'path', message: 'NaN', runId: 'r1', tick: 7, recoverable: false }),
      worker({ type: 'runState', runId: 'r1', state: 'stopped' }),
    );
    expect(s.run?.state).toBe('failed');
    expect(s.errors).toEqual([{ id: 1, scope: 'path', message: 'NaN', recoverable: false, tick: 7 }]);
  });

  it('a lost worker fails the running run; errors get ids and can be dismissed', () => {
    let s = run(INITIAL_STATE, { type: 'runRequested', run: runView('r1', { state: 'running' }) });
    s = run(s, { type: 'workerLost', message: 'crashed' });
    expect(s.workerLost).toBe('crashed');
    expect(s.run?.state).toBe('failed');
    s = run(s, { type: 'error', error: { scope: 'storage', message: 'full', recoverable: true } });
    expect(s.errors.map((e) => e.id)).toEqual([1, 2]);
    s = run(s, { type: 'dismissError', id: 1 });
    expect(s.errors.map((e) => e.scope)).toEqual(['storage']);
    expect(run(s, { type: 'engineStarting' })).toMatchObject({
      workerLost: null,
      backend: null,
      data: { state: 'loading' },
    });
  });

  it('a data error marks the data, a training error clears the progress of a slot that holds a model', () => {
    let s = run(INITIAL_STATE, { type: 'trainRequested', slot: 'A' }, { type: 'trainRequested', slot: 'B' });
    s = run(
      s,
      worker({ type: 'model', info: { slot: 'A', name: 'a', testAccuracy: null }, bytes: new ArrayBuffer(0) }),
    );
    s = run(s, worker({ type: 'error', scope: 'train', message: 'x', recoverable: true }));
    expect(s.training.A).toBeNull();
    expect(s.training.B).not.toBeNull();
    s = run(s, worker({ type: 'error', scope: 'data', message: 'y', recoverable: false }));
    expect(s.data.state).toBe('error');
  });

  it('a new run forgets the old checkpoint; a continuation keeps it; opening a run clears errors', () => {
    let s = run(INITIAL_STATE, { type: 'runRequested', run: runView('r1') });
    s = run(s, worker({ type: 'checkpoint', runId: 'r1', tick: 20, params: new ArrayBuffer(8) }));
    const continued = run(s, { type: 'runRequested', run: runView('r2', { resumedFrom: 20, storeId: 'r1' }) });
    expect(continued.checkpoint?.tick).toBe(20);
    const fresh = run(s, { type: 'runRequested', run: runView('r3'), record: { createdAt: 1, models: {} } });
    expect(fresh.checkpoint).toBeNull();
    const withError = run(s, { type: 'error', error: { scope: 'x', message: 'y', recoverable: true } });
    expect(run(withError, { type: 'runOpened', run: runView('r4', { state: 'done' }) }).errors).toEqual([]);
  });
});
