import { describe, expect, it } from 'vitest';
import { barrierOf, pathCurve } from '../../src/ui/barrier';
import type { PathSeries } from '../../src/ui/pathSeries';
import { reduce } from '../../src/ui/state/reducer';
import { INITIAL_STATE } from '../../src/ui/state/uiState';
import type { FromWorker } from '../../src/worker/protocol';

const requested = (runId: string) => {
  const empty = { t: [], trainLoss: [], testAccuracy: [], barrier: null, length: null, sgdSteps: null, training: null };
  const view = { kind: 'line', runId, state: 'running', trainImages: 10000, total: 3, ...empty } as const;
  return reduce(INITIAL_STATE, { type: 'baselineRequested', view });
};

describe('barrier chart data', () => {
  it('measures the SPEC §9 barrier above the chord between the ends', () => {
    expect(barrierOf({ t: [0, 0.5, 1], loss: [0.1, 2.1, 0.3] })).toBeCloseTo(1.9);
    expect(barrierOf({ t: [0, 1], loss: [0.1, 0.3] })).toBeCloseTo(0);
    expect(barrierOf({ t: [], loss: [] })).toBeNaN();
  });

  it('maps path ticks to t = tick / ticks and skips ticks without training', () => {
    const col = (a: number[]) => ({ data: Float64Array.from(a) });
    const series = { length: 4, tick: col([0, 1, 2, 4]), trainLoss: col([0.02, NaN, 0.04, 0.03]) };
    expect(pathCurve(series as unknown as PathSeries, 4)).toEqual({ t: [0, 0.5, 1], loss: [0.02, 0.04, 0.03] });
    expect(pathCurve(null, 4)).toEqual({ t: [], loss: [] });
  });
});

describe('baseline reducer', () => {
  it('fills the view point by point, takes the final curve, and drops events of other baselines', () => {
    const event = (e: object) => ({ type: 'worker', event: { v: 1, ...e } as FromWorker }) as const;
    let s = requested('b1');
    expect(s.baselines.line).toMatchObject({ runId: 'b1', state: 'running', barrier: null });
    const progress = { type: 'baselineProgress', kind: 'line', index: 0, total: 3, t: 0, trainLoss: 0.1 };
    s = reduce(s, event({ ...progress, runId: 'b1', testAccuracy: 0.99 }));
    expect(s.baselines.line!.trainLoss).toEqual([0.1]);
    expect(reduce(s, event({ ...progress, runId: 'old', testAccuracy: null }))).toBe(s);
    const curve = {
      t: [0, 0.5, 1],
      trainLoss: [0.1, 2, 0.1],
      trainAccuracy: [],
      testLoss: [],
      testAccuracy: [1, 0.5, 1],
    };
    s = reduce(s, event({ type: 'baselineDone', runId: 'b1', kind: 'line', curve: { ...curve, barrier: 1.9 } }));
    expect(s.baselines.line).toMatchObject({ state: 'done', barrier: 1.9, t: [0, 0.5, 1] });
    const info = { slot: 'B', name: 'other', testAccuracy: null };
    expect(reduce(s, event({ type: 'model', info, bytes: new ArrayBuffer(0) })).baselines.line).toBeNull();
    const failed = reduce(requested('b2'), event({ type: 'error', scope: 'path', message: 'x', runId: 'b2' }));
    expect(failed.baselines.line!.state).toBe('failed');
    expect(failed.errors).toHaveLength(1);
  });
});
