import { describe, expect, it } from 'vitest';
import { reduce, type UiAction } from '../../src/ui/state/reducer';
import { INITIAL_STATE, type PlaneView, type UiState } from '../../src/ui/state/uiState';
import { engineBusy, sideJobRunning } from '../../src/ui/state/jobs';
import { pointAt, sgdStepsOf, snapshotTicks } from '../../src/ui/barrier';
import { heatGrid, scrubIndex } from '../../src/ui/components/panels/PlanePanelPlot';
import type { PathSeries } from '../../src/ui/pathSeries';
import type { PlaneGeometry } from '../../src/worker/protocol';
import { ev } from './fixtures';

const run = (s: UiState, ...actions: UiAction[]) => actions.reduce(reduce, s);
const empty = { t: [], trainLoss: [], testAccuracy: [], barrier: null, length: null, sgdSteps: null, training: null };
const requested = (kind: 'bezier' | 'autoneb', runId: string): UiAction => ({
  type: 'baselineRequested',
  view: { kind, runId, state: 'running', trainImages: 10000, total: 3, ...empty },
});
const curve = {
  t: [0, 0.5, 1],
  trainLoss: [0.1, 0.2, 0.1],
  trainAccuracy: [],
  testLoss: [],
  testAccuracy: [1, 0.9, 1],
};

const geometry: PlaneGeometry = {
  x: [0, 1],
  y: [0, 1],
  points: { A: [0, 0], B: [1, 0], C: [0.5, 1] },
  samples: 2000,
  third: { kind: 'pathMiddle', tick: 50 },
  path: { runId: 'r1', tick: [0, 50, 100], x: [0, 0.5, 1], y: [0, 1, 0], distance: [0, 0, 0.3], length: 2.3 },
  curves: [],
};
const planeView = (runId: string): PlaneView => ({
  runId,
  state: 'running',
  grid: 2,
  geometry: null,
  rows: [],
  plane: null,
  ms: null,
});

describe('trained baselines in the UI state', () => {
  it('shows a curve’s training live, then its curve with length and SGD steps; drops other runs’ events', () => {
    const training = { type: 'trainedProgress', kind: 'bezier', step: 10, totalSteps: 500, loss: 0.4, pivots: null };
    let s = run(INITIAL_STATE, requested('bezier', 'bz'), ev({ ...training, runId: 'bz' } as never));
    expect(s.baselines.bezier).toMatchObject({ state: 'running', training: { step: 10, totalSteps: 500, loss: 0.4 } });
    expect(engineBusy(s)).toBe(true);
    expect(sideJobRunning(s)).toBe(true);
    expect(reduce(s, ev({ ...training, runId: 'old' } as never))).toBe(s);
    const done = { type: 'baselineDone', runId: 'bz', kind: 'bezier', curve: { ...curve, barrier: 0.05 } };
    s = reduce(s, ev({ ...done, trainImages: 10000, length: 41.5, sgdSteps: 500, ms: 9 } as never));
    expect(s.baselines.bezier).toMatchObject({ state: 'done', barrier: 0.05, length: 41.5, sgdSteps: 500 });
    expect(engineBusy(s)).toBe(false);
  });

  it('marks a stopped baseline and a stopped plane by their runIds, not the path run', () => {
    const s = run(
      INITIAL_STATE,
      requested('autoneb', 'n1'),
      { type: 'planeRequested', view: planeView('p1') },
      ev({ type: 'runState', runId: 'n1', state: 'stopped' }),
    );
    expect(s.baselines.autoneb!.state).toBe('stopped');
    expect(s.plane!.state).toBe('running');
    const t = reduce(s, ev({ type: 'runState', runId: 'p1', state: 'stopped' }));
    expect(t.plane!.state).toBe('stopped');
    expect(reduce(t, ev({ type: 'runState', runId: 'p1', state: 'stopped' })).plane).toBe(t.plane);
  });

  it('fails the running jobs when the worker is lost', () => {
    const s = run(INITIAL_STATE, requested('bezier', 'bz'), { type: 'planeRequested', view: planeView('p1') });
    const lost = reduce(s, { type: 'workerLost', message: 'crash' });
    expect(lost.baselines.bezier!.state).toBe('failed');
    expect(lost.plane!.state).toBe('failed');
    expect(engineBusy(lost)).toBe(false);
  });
});

describe('landscape plane, scrubber and predictions in the UI state', () => {
  it('takes the geometry first, then rows, then the plane', () => {
    let s = run(
      INITIAL_STATE,
      { type: 'planeRequested', view: planeView('p1') },
      ev({ type: 'planeStarted', runId: 'p1', geometry }),
      ev({ type: 'planeProgress', runId: 'p1', iy: 0, rows: 2, trainLoss: [0.01, 2] }),
    );
    expect(s.plane).toMatchObject({ geometry: { samples: 2000 }, rows: [[0.01, 2]], state: 'running' });
    expect(reduce(s, ev({ type: 'planeStarted', runId: 'old', geometry }))).toBe(s);
    // Missing rows are drawn as gaps; the colour is the log10 of the loss.
    const grid = heatGrid(s.plane!, geometry);
    expect(grid.z[0]![0]).toBeCloseTo(-2); // log10 of the loss
    expect(grid.z[1]).toBeNull(); // not computed yet
    const plane = {
      ...geometry,
      trainLoss: [
        [0.01, 2],
        [1, 3],
      ],
    };
    s = reduce(s, ev({ type: 'planeDone', runId: 'p1', plane, ms: 1200 }));
    expect(s.plane).toMatchObject({ state: 'done', ms: 1200, rows: plane.trainLoss });
  });

  it('keeps the scrubbed tick and only the latest prediction', () => {
    let s = run(INITIAL_STATE, { type: 'scrubTo', tick: 50 }, { type: 'predictRequested', requestId: 'q1' });
    expect(s.scrubTick).toBe(50);
    expect(scrubIndex(geometry, s.scrubTick)).toBe(1);
    expect(scrubIndex(geometry, 80)).toBe(2);
    s = reduce(s, { type: 'predictRequested', requestId: 'q2' });
    const results = [{ target: 'A', tick: null, probabilities: [0.9, 0.1] }];
    expect(reduce(s, ev({ type: 'prediction', requestId: 'q1', results } as never))).toBe(s);
    s = reduce(s, ev({ type: 'prediction', requestId: 'q2', results } as never));
    expect(s.prediction).toMatchObject({ state: 'done', results });
  });

  it('reads a path point’s metrics and the snapshot ticks from the series', () => {
    const col = (a: number[]) => ({ data: Float64Array.from(a) });
    const tensors = new Map([
      ['w', { distToDest: col([5, 3, 0]) }],
      ['b', { distToDest: col([12, 4, 0]) }],
    ]);
    const series = {
      length: 3,
      tick: col([0, 5, 7]),
      trainLoss: col([NaN, 0.04, 0.03]),
      testAccuracy: col([0.99, NaN, 0.98]),
      testSamples: col([10000, 0, 10000]),
      rounds: col([0, 30, 12]),
      tensors,
    } as unknown as PathSeries;
    expect(snapshotTicks(series, 5, 7)).toEqual([0, 5, 7]);
    expect(snapshotTicks(series, 0, 7)).toEqual([]);
    expect(pointAt(series, 5, 10)).toEqual({
      tick: 5,
      t: 0.5,
      trainLoss: 0.04,
      testAccuracy: null,
      testSamples: 0,
      distance: 5,
    });
    expect(pointAt(series, 0, 10)!.distance).toBe(13);
    expect(sgdStepsOf(series)).toBe(42);
  });
});
