import { describe, expect, it } from 'vitest';
import {
  LESSON_CLOSED,
  lessonFromSearch,
  lessonReducer,
  searchWithLesson,
  type LessonAction,
  type LessonState,
} from '../../src/ui/lesson/lessonState';
import { LESSON_STEPS, accuracyPeak, maxTrainLoss } from '../../src/ui/lesson/steps';
import type { PathSeries } from '../../src/ui/pathSeries';
import { INITIAL_STATE } from '../../src/ui/state/uiState';

const N = LESSON_STEPS.length;
const walk = (s: LessonState, ...actions: LessonAction[]) => actions.reduce((st, a) => lessonReducer(st, a, N), s);

/** The columns accuracyPeak and maxTrainLoss read, as a PathSeries holds them. */
function fakeSeries(ticks: number[], trainLoss: number[], testAccuracy: number[]): PathSeries {
  const col = (v: number[]) => ({ data: Float64Array.from(v), length: v.length });
  return {
    length: ticks.length,
    tick: col(ticks),
    trainLoss: col(trainLoss),
    testAccuracy: col(testAccuracy),
  } as unknown as PathSeries;
}

describe('guided lesson: the step table (issue #16)', () => {
  it('tells the story in the issue’s order, each step pointing at a panel', () => {
    expect(LESSON_STEPS.map((s) => s.title)).toEqual([
      'Two minima from two seeds',
      'The straight line has a barrier',
      'Permutation alignment lowers it',
      'The LLPF path stays low',
      'M2O: accuracy peaks on a smaller variance sphere',
      'Symmetries and flatness',
    ]);
    for (const step of LESSON_STEPS) {
      expect(step.target.length).toBeGreaterThan(0);
      expect(step.body.length).toBeGreaterThan(60);
    }
    expect(LESSON_STEPS[3].body).toMatch(/moves.*variance.*retrains/s); // move, variance correction, retrain
    expect(LESSON_STEPS.map((s) => s.action)).toEqual(['loadModels', 'demo', 'demo', 'demo', 'm2o', undefined]);
    expect(LESSON_STEPS[5].target[0]).toBe('#geometry');
  });

  it('shows measured numbers once they exist, and nothing before', () => {
    expect(LESSON_STEPS.map((s) => s.live?.(INITIAL_STATE, null) ?? null)).toEqual(Array(N).fill(null));
    const line = { barrier: 2.176 } as never;
    const aligned = { barrier: 1.936 } as never;
    const s = { ...INITIAL_STATE, baselines: { ...INITIAL_STATE.baselines, line, aligned } };
    expect(LESSON_STEPS[1].live!(s, null)).toBe('Barrier of the straight line: 2.18 nats');
    expect(LESSON_STEPS[2].live!(s, null)).toBe('Barrier: 2.18 nats straight, 1.94 nats aligned');
    const m2o = { ...INITIAL_STATE, run: { config: { mode: 'm2o' } } as never };
    const series = fakeSeries([0, 1, 2, 3], [NaN, 0.1, 0.3, 0.2], [0.99, NaN, 0.9931, 0.98]);
    expect(LESSON_STEPS[4].live!(m2o, series)).toBe('Peak test accuracy so far: 99.31 % at tick 2');
    // Step 4 talks about the M2M path: an M2O run's losses are not its numbers.
    expect(LESSON_STEPS[3].live!(m2o, series)).toBeNull();
  });

  it('finds the accuracy peak and the highest train loss, skipping ticks without a measurement', () => {
    const series = fakeSeries([0, 5, 10], [NaN, 0.04, 0.02], [NaN, 0.97, NaN]);
    expect(accuracyPeak(series)).toEqual({ tick: 5, accuracy: 0.97 });
    expect(maxTrainLoss(series)).toBe(0.04);
    expect(accuracyPeak(fakeSeries([0], [NaN], [NaN]))).toBeNull();
    expect(maxTrainLoss(null)).toBeNull();
  });
});

describe('guided lesson: the step reducer', () => {
  it('starts at step 1, goes forward and back within the steps, and finishing closes it', () => {
    const s = walk(LESSON_CLOSED, { type: 'start' });
    expect(s).toEqual({ open: true, step: 0 });
    expect(walk(s, { type: 'back' })).toEqual({ open: true, step: 0 });
    const last = walk(s, ...Array<LessonAction>(N - 1).fill({ type: 'next' }));
    expect(last).toEqual({ open: true, step: N - 1 });
    expect(walk(last, { type: 'back' })).toEqual({ open: true, step: N - 2 });
    expect(walk(last, { type: 'next' })).toEqual({ open: false, step: N - 1 });
  });

  it('skips (close) from any step, and start reopens where it was only while open', () => {
    const at3 = walk(LESSON_CLOSED, { type: 'goto', step: 2 });
    expect(at3).toEqual({ open: true, step: 2 });
    expect(walk(at3, { type: 'start' })).toEqual({ open: true, step: 2 });
    const closed = walk(at3, { type: 'close' });
    expect(closed.open).toBe(false);
    expect(walk(closed, { type: 'start' })).toEqual({ open: true, step: 0 });
    // Closed: next and back do nothing (the same object: no re-render, no URL write).
    expect(lessonReducer(closed, { type: 'next' }, N)).toBe(closed);
    expect(lessonReducer(closed, { type: 'back' }, N)).toBe(closed);
    expect(lessonReducer(closed, { type: 'close' }, N)).toBe(closed);
  });

  it('clamps goto to the steps there are and ignores a step that is not a number', () => {
    expect(walk(LESSON_CLOSED, { type: 'goto', step: 99 })).toEqual({ open: true, step: N - 1 });
    expect(walk(LESSON_CLOSED, { type: 'goto', step: -4 })).toEqual({ open: true, step: 0 });
    expect(walk(LESSON_CLOSED, { type: 'goto', step: 2.7 })).toEqual({ open: true, step: 2 });
    expect(lessonReducer(LESSON_CLOSED, { type: 'goto', step: NaN }, N)).toBe(LESSON_CLOSED);
  });
});

describe('guided lesson: the URL (?lesson=n)', () => {
  it('opens the step a link names, counting from 1, clamped; anything else leaves it closed', () => {
    expect(lessonFromSearch('?lesson=3', N)).toEqual({ open: true, step: 2 });
    expect(lessonFromSearch('?preset=quick&lesson=1&mode=m2o', N)).toEqual({ open: true, step: 0 });
    expect(lessonFromSearch('?lesson=42', N)).toEqual({ open: true, step: N - 1 });
    for (const bad of ['', '?lesson=', '?lesson=0', '?lesson=-2', '?lesson=two', '?lesson=1.5', '?demo=1']) {
      expect(lessonFromSearch(bad, N)).toEqual(LESSON_CLOSED);
    }
  });

  it('writes the step into the query and removes it when closed, keeping the setup’s parameters', () => {
    expect(searchWithLesson('?preset=quick&mode=m2m', { open: true, step: 4 })).toBe('?preset=quick&mode=m2m&lesson=5');
    expect(searchWithLesson('?preset=quick&lesson=5', { open: true, step: 1 })).toBe('?preset=quick&lesson=2');
    expect(searchWithLesson('?preset=quick&lesson=5', { open: false, step: 4 })).toBe('?preset=quick');
    expect(searchWithLesson('?lesson=5', LESSON_CLOSED)).toBe('');
    // A round trip through the URL gives the same state.
    for (let step = 0; step < N; step++) {
      expect(lessonFromSearch(searchWithLesson('?mode=m2o', { open: true, step }), N)).toEqual({ open: true, step });
    }
  });
});
