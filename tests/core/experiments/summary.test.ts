import { describe, expect, it } from 'vitest';
import { movingAverage, pointSeries, seriesNames, seriesOf, summarise } from '../../../src/core/experiments/summary';
import { POINT_GROUPS, POINT_TENSORS, type PathPoint } from '../../../src/core/llpf/pathPoint';
import { createRng } from '../../../src/core/random';

/** A synthetic point; test metrics only every 3rd tick. */
function point(tick: number, rng: () => number): PathPoint {
  const tensors = Object.fromEntries(
    POINT_TENSORS.map((n) => {
      const d = rng();
      return [
        n,
        { distToDest: d, halfSqDistToDest: 0.5 * d * d, distToOrigin: rng(), variance: rng(), cosineToStart: rng() },
      ];
    }),
  );
  return {
    tick,
    wallTimeMs: tick * 10,
    rounds: 5,
    trainLossMovingAverage: tick === 0 ? null : rng(),
    trainAccuracy: tick === 0 ? null : rng(),
    test: tick % 3 === 0 ? { loss: rng(), accuracy: rng(), samples: 1000, subset: 'first-1000' } : null,
    trainEval: null,
    tensors,
    stepLength: Object.fromEntries(POINT_GROUPS.map((g) => [g, rng()])),
    timing: { tickMs: 1, sgdMs: 1 },
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

describe('experiment summary', () => {
  it('mean and std per tick of every series equal a direct computation over the pairs', () => {
    const rng = createRng(11);
    // Pair 3 is shorter (an interrupted run): its ticks count only where it has them.
    const pairs = [8, 8, 5].map((n) => Array.from({ length: n }, (_, t) => point(t, rng.next)));
    const s = summarise(pairs);
    expect(s.tick).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(s.meta.pairs).toEqual([1, 2, 3]);
    const names = seriesNames(s);
    expect(names).toContain('trainLossMovingAverage');
    expect(names).toContain('distToDest:fc1.weight');
    expect(names).toContain('halfSqDistToDest:conv1.bias');
    expect(names).toContain('testAccuracy');
    expect(names).toContain('stepLength:fc3');
    for (const name of names) {
      const series = seriesOf(s, name);
      s.tick.forEach((tick, i) => {
        const values = pairs
          .map((ps) => ps.find((p) => p.tick === tick))
          .map((p) => (p ? pointSeries(p)[name] : null))
          .filter((v): v is number => v !== null);
        expect(series.count[i]).toBe(values.length);
        if (!values.length) return expect(series.mean[i]).toBeNull();
        expect(series.mean[i]).toBeCloseTo(mean(values), 12);
        expect(series.std[i]).toBeCloseTo(std(values), 12);
      });
    }
    expect(seriesOf(s, 'testLoss').count).toEqual([3, 0, 0, 3, 0, 0, 2, 0]);
    expect(seriesOf(s, 'trainLossMovingAverage').mean[0]).toBeNull();
    // The summary is plain JSON (null for "no value").
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('moving average of 10 is trailing, partial at the start, and skips nulls', () => {
    const xs = Array.from({ length: 15 }, (_, i) => i);
    const ma = movingAverage(xs);
    expect(ma[0]).toBe(0);
    expect(ma[4]).toBe(2);
    expect(ma[9]).toBe(4.5);
    expect(ma[14]).toBe(9.5);
    expect(movingAverage([null, 2, null, 4], 2)).toEqual([null, 2, 2, 4]);
  });
});
