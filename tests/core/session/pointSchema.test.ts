import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  csvHeader,
  csvRow,
  fromJsonl,
  packPoints,
  pointsFromJsonl,
  pointsToJsonl,
  POINT_TENSORS,
  tensorMetricColumn,
  toJsonl,
  unpackPoints,
  type PathPoint,
} from '../../../src/core/llpf/pathPoint';

/** A point with awkward values: doubles that float32 cannot hold, NaN-free nulls, every subset kind. */
function point(tick: number, subset: string | null): PathPoint {
  const f = (x: number) => Math.fround(x); // device values are float32
  const tensors = Object.fromEntries(
    POINT_TENSORS.map((n, i) => {
      const d = f(0.1 * (i + 1) + tick / 7);
      return [
        n,
        {
          distToDest: d,
          halfSqDistToDest: 0.5 * d * d,
          distToOrigin: f(i + 1.5),
          variance: f(1e-3 * i),
          cosineToStart: f(0.99),
        },
      ];
    }),
  );
  return {
    tick,
    wallTimeMs: 1000 / 3 + tick,
    rounds: tick === 0 ? 0 : 5,
    trainLossMovingAverage: tick === 0 ? null : f(0.0123 * tick),
    trainAccuracy: tick === 0 ? null : 317 / 320,
    test:
      subset === null
        ? null
        : { loss: 0.06560246582 / 3, accuracy: 9786 / 10000, samples: subset === 'full' ? 10000 : 1000, subset },
    trainEval: subset === null ? null : { loss: 0.0314159265358 / 7, accuracy: 9973 / 10000, samples: 10000 },
    tensors,
    stepLength: { conv1: f(0.001), conv2: f(0.001), fc1: f(0.001), fc2: f(0.001), fc3: tick === 0 ? 0 : f(0.001) },
    timing: { tickMs: tick === 0 ? 0 : 12.345678, sgdMs: 7.000001 },
  };
}

const points = [point(0, 'full'), point(1, null), point(2, 'random-1000'), point(3, 'first-1000'), point(4, 'full')];

describe('path-point schema', () => {
  it('JSONL: toJsonl ∘ fromJsonl is the identity on a line, and points survive the round trip exactly', () => {
    const text = pointsToJsonl(points);
    const back = pointsFromJsonl(text);
    expect(back).toEqual(points);
    for (const line of text.trim().split('\n')) expect(toJsonl(fromJsonl(line))).toBe(line);
  });

  it('packed columns (the worker → UI transfer) lose nothing: unpack ∘ pack gives the same JSONL', () => {
    const cols = packPoints(points);
    expect(cols.tensorMetrics.length).toBe(points.length * POINT_TENSORS.length * 4);
    expect(unpackPoints(cols)).toEqual(points);
    expect(pointsToJsonl(unpackPoints(cols))).toBe(pointsToJsonl(points));
    const fc1 = POINT_TENSORS.indexOf('fc1.weight');
    expect(Array.from(tensorMetricColumn(cols, fc1, 'halfSqDistToDest'))).toEqual(
      points.map((p) => p.tensors['fc1.weight'].halfSqDistToDest),
    );
  });

  it('reads files written before halfSqDistToDest, test.subset and timing existed', () => {
    const old = readFileSync(join(__dirname, '../../fixtures/cli-points.jsonl'), 'utf8');
    const ps = pointsFromJsonl(old);
    expect(ps).toHaveLength(7);
    const t = ps[6].tensors['fc1.weight'];
    expect(t.halfSqDistToDest).toBeCloseTo(0.5 * t.distToDest ** 2, 12);
    expect(() => fromJsonl('{oops', 8)).toThrow(/line 8 is not JSON/);
    expect(() => fromJsonl('{"tick":1}', 1)).toThrow(/line 1 is not a LeNet5 path point/);
  });

  it('CSV: one header, one row per point with the same number of cells', () => {
    const head = csvHeader().split(',');
    expect(head).toContain('halfSqDistToDest:fc1.weight');
    expect(head).toContain('distToDest:fc1.weight');
    expect(head).toContain('stepLength:conv1');
    expect(head.length).toBe(14 + 5 * 10 + 5);
    const row = csvRow(points[2]).split(',');
    expect(row).toHaveLength(head.length);
    expect(row[head.indexOf('test_subset')]).toBe('random-1000');
    expect(csvRow(points[0]).split(',')[head.indexOf('train_loss_moving_average')]).toBe('');
  });
});
