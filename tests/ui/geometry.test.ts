import { describe, expect, it } from 'vitest';
import { reduceGeometry, type GeometryAction } from '../../src/ui/geometry/reducer';
import { INITIAL_GEOMETRY, type GeometryState } from '../../src/ui/geometry/state';
import { energyAt, pearson } from '../../src/ui/geometry/stats';
import type { FromGeometry } from '../../src/worker/geometryProtocol';

const run = (s: GeometryState, ...actions: GeometryAction[]) => actions.reduce(reduceGeometry, s);
/** An event without its version field (distributed over the union). */
type EventBody = FromGeometry extends infer T ? (T extends FromGeometry ? Omit<T, 'v'> : never) : never;
const ev = (event: EventBody): GeometryAction => ({
  type: 'event',
  event: { v: 1, ...event } as FromGeometry,
});
const ready = run(
  INITIAL_GEOMETRY,
  { type: 'workerStarting' },
  ev({ type: 'ready', backend: 'wasm', reason: 'requested', threads: false }),
  ev({ type: 'dataLoaded', ms: 10 }),
);
const profile = { t: [0, 1], trainError: [0.01, 0.02], testError: [0.01, 0.03], barrier: 0, testBarrier: 0.001 };

describe('geometry reducer', () => {
  it('tracks the worker and one job at a time, with progress', () => {
    expect(ready.worker).toEqual({ state: 'ready', backend: 'wasm', message: 'requested' });
    expect(ready.data).toBe('ready');
    const s = run(
      ready,
      { type: 'jobStarted', runId: 'l1', job: 'landscape', slot: 'landscape', label: 'landscape' },
      ev({ type: 'progress', runId: 'l1', done: 1, total: 4, label: 'geodesic: t = 0.00' }),
    );
    expect(s.job).toMatchObject({ runId: 'l1', slot: 'landscape', done: 1, total: 4, label: 'geodesic: t = 0.00' });
    expect(s.landscape?.status).toBe('running');
  });

  it('fills the landscape point by point, then with the barriers; drops events of other runs', () => {
    let s = run(ready, { type: 'jobStarted', runId: 'l1', job: 'landscape', slot: 'landscape', label: '' });
    s = run(
      s,
      ev({ type: 'profilePoint', runId: 'l1', path: 'geodesic', i: 0, t: 0, trainError: 0.01, testError: 0.01 }),
      ev({ type: 'profilePoint', runId: 'old', path: 'geodesic', i: 1, t: 1, trainError: 0.5, testError: 0.5 }),
      ev({ type: 'profilePoint', runId: 'l1', path: 'line', i: 0, t: 0, trainError: 0.01, testError: 0.01 }),
    );
    expect(s.landscape!.geodesic.trainError).toEqual([0.01]);
    expect(s.landscape!.line.t).toEqual([0]);
    expect(s.landscape!.geodesic.barrier).toBeNull();
    s = run(s, ev({ type: 'landscapeDone', runId: 'l1', geodesic: profile, line: { ...profile, barrier: 0.6 } }));
    expect(s.landscape!.line.barrier).toBe(0.6);
    s = run(s, ev({ type: 'jobDone', runId: 'l1', ms: 5 }));
    expect(s.job).toBeNull();
    expect(s.landscape!.status).toBe('done');
    // A late event of the finished job changes nothing.
    expect(run(s, ev({ type: 'progress', runId: 'l1', done: 9, total: 9, label: '' }))).toBe(s);
  });

  it('routes flatness rows of a path job to pathFlatness and of a model job to flatness', () => {
    const row = {
      label: 'tick 5',
      tick: 5,
      result: { sigma: [0, 0.1], localEnergy: [0, 0.02], standardError: [0, 0.001], baseError: 0.01 },
      testError: 0.02,
    };
    const s = run(
      ready,
      { type: 'jobStarted', runId: 'f1', job: 'flatness', slot: 'pathFlatness', label: '' },
      ev({ type: 'flatnessRow', runId: 'f1', index: 0, row }),
    );
    expect(s.pathFlatness!.rows).toEqual([row]);
    expect(s.flatness).toBeNull();
    const t = run(
      s,
      ev({ type: 'jobDone', runId: 'f1', ms: 1 }),
      { type: 'jobStarted', runId: 'f2', job: 'flatness', slot: 'flatness', label: '' },
      ev({ type: 'flatnessRow', runId: 'f2', index: 0, row: { ...row, tick: null } }),
    );
    expect(t.flatness!.rows).toHaveLength(1);
    expect(t.pathFlatness!.status).toBe('done');
  });

  it('collects the population’s training, members and pairs', () => {
    const flat = { sigma: [0, 0.2], localEnergy: [0, 0.05], standardError: [0, 0], baseError: 0 };
    const s = run(
      ready,
      { type: 'jobStarted', runId: 'p', job: 'population', slot: 'population', label: '' },
      ev({
        type: 'trainProgress',
        runId: 'p',
        member: 'adam-b64 seed 1',
        step: 50,
        totalSteps: 100,
        trainLoss: 0.3,
        testAccuracy: null,
      }),
      ev({ type: 'memberTrained', runId: 'p', name: 'adam-b64 seed 1', recipe: 'adam-b64', bytes: new ArrayBuffer(4) }),
      ev({
        type: 'memberRow',
        runId: 'p',
        row: { name: 'adam-b64 seed 1', recipe: 'adam-b64', testError: 0.02, trainError: 0.01, flatness: flat },
      }),
      ev({
        type: 'pairRow',
        runId: 'p',
        row: { a: 'x', b: 'y', geodesic: 20, functionDistance: 0.01, barrier: 0.02, testBarrier: 0.02 },
      }),
    );
    expect(s.population!.training).toMatchObject({ step: 50, totalSteps: 100 });
    expect(s.population!.trained).toEqual(['adam-b64 seed 1']);
    expect(s.population!.members).toHaveLength(1);
    expect(s.population!.pairs[0].geodesic).toBe(20);
    expect(s.binaryTraining).toBeNull();
  });

  it('records the chain’s losses and evaluations, and binary training progress', () => {
    let s = run(
      ready,
      { type: 'jobStarted', runId: 'c', job: 'chain', slot: 'chain', label: '' },
      ev({ type: 'chainLoss', runId: 'c', step: 50, loss: 0.4 }),
      ev({ type: 'chainEval', runId: 'c', step: 100, profile, maxTrainError: 0.02, bend: null, reachedTarget: false }),
    );
    expect(s.chain!.losses).toEqual([[50, 0.4]]);
    expect(s.chain!.evals).toEqual([{ step: 100, maxTrainError: 0.02 }]);
    expect(s.chain!.profile!.trainError).toEqual(profile.trainError);
    s = run(
      s,
      ev({ type: 'cancelled', runId: 'c' }),
      { type: 'jobStarted', runId: 'b', job: 'binaryTrain', slot: 'binaryTraining', label: '' },
      ev({
        type: 'trainProgress',
        runId: 'b',
        member: 'binary seed 1',
        step: 9,
        totalSteps: 90,
        trainLoss: 1,
        testAccuracy: 0.9,
      }),
    );
    expect(s.chain!.status).toBe('cancelled');
    expect(s.binaryTraining!.training).toMatchObject({ step: 9, testAccuracy: 0.9 });
  });

  it('shows errors with their message, ends the job, and lets them be dismissed', () => {
    let s = run(
      ready,
      { type: 'jobStarted', runId: 'x', job: 'compare', slot: 'compare', label: '' },
      ev({ type: 'error', runId: 'x', message: 'model B is not a LeNet5' }),
      ev({ type: 'error', runId: null, message: 'protocol version 2' }),
    );
    expect(s.job).toBeNull();
    expect(s.compare!.status).toBe('failed');
    expect(s.errors.map((e) => e.message)).toEqual(['model B is not a LeNet5', 'protocol version 2']);
    s = run(s, { type: 'dismissError', id: s.errors[0].id });
    expect(s.errors.map((e) => e.message)).toEqual(['protocol version 2']);
    const crashed = run(
      ready,
      { type: 'jobStarted', runId: 'y', job: 'population', slot: 'population', label: '' },
      { type: 'workerFailed', message: 'the geometry worker crashed: out of memory' },
    );
    expect(crashed.worker.state).toBe('failed');
    expect(crashed.population!.status).toBe('failed');
    expect(crashed.errors.at(-1)!.message).toMatch(/out of memory/);
    const abandoned = run(
      ready,
      { type: 'jobStarted', runId: 'z', job: 'binaryTrain', slot: 'binaryTraining', label: '' },
      { type: 'jobAbandoned', runId: 'z' },
    );
    expect(abandoned.binaryTraining!.status).toBe('cancelled');
    expect(abandoned.job).toBeNull();
  });

  it('keeps models, selection and the path snapshots’ summary', () => {
    const model = { id: 'pop:a', name: 'a', kind: 'real' as const, origin: 'population' as const, testAccuracy: null };
    const s = run(
      ready,
      { type: 'modelAdded', model },
      { type: 'modelAdded', model: { ...model, testAccuracy: 0.98 } },
      { type: 'select', role: 'second', id: 'pop:a' },
      { type: 'snapshots', runId: 'r', ticks: [5, 10, 15] },
    );
    expect(s.models).toEqual([{ ...model, testAccuracy: 0.98 }]);
    expect(s.selection).toEqual({ first: 'A', second: 'pop:a' });
    expect(s.snapshots).toEqual({ runId: 'r', count: 3, firstTick: 5, lastTick: 15 });
  });
});

describe('geometry stats', () => {
  it('reads δE at the nearest σ and correlates', () => {
    const r = { sigma: [0, 0.1, 0.3], localEnergy: [0, 0.01, 0.2] };
    expect(energyAt(r, 0.25)).toBe(0.2);
    expect(energyAt(r, 0.12)).toBe(0.01);
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 2], [1, 2])).toBeNaN();
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});
