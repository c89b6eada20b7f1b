import { describe, expect, it } from 'vitest';
import { describeClaims, m2mClaims } from '../../../src/core/llpf/claims';
import type { PathPoint, TensorMetrics } from '../../../src/core/llpf/pathPoint';

const metrics = (d: number): TensorMetrics =>
  ({ distToDest: d, halfSqDistToDest: (d * d) / 2, distToOrigin: 1, variance: 1, cosineToStart: 1 }) as TensorMetrics;

const point = (dists: Record<string, number>): PathPoint =>
  ({ tick: 10, tensors: Object.fromEntries(Object.entries(dists).map(([n, d]) => [n, metrics(d)])) }) as PathPoint;

describe("the paper's M2M claims, in the reference's units", () => {
  it('reads "distance below 0.1" as ½‖P−D‖² < 0.1, and reports the true norm beside it', () => {
    // ‖P−D‖ = 0.2365 (conv1.weight in the old reproduction): 0.028 in the reference's units.
    const c = m2mClaims(point({ 'conv1.weight': 0.2365, 'fc1.weight': 0.19 }), 0.05);
    expect(c).toMatchObject({ lossBelow01: true, distanceBelow01ReferenceUnits: true, tensor: 'conv1.weight' });
    expect(c.maxHalfSqDistToDest).toBeCloseTo(0.02797, 4);
    expect(c.maxDistToDest).toBeCloseTo(0.2365, 6);
    expect(describeClaims(c)).toMatch(/½‖P−D‖² < 0.1 .*: yes/);
  });

  it('fails each claim on its own', () => {
    expect(m2mClaims(point({ a: 0.1 }), 0.2).lossBelow01).toBe(false);
    expect(m2mClaims(point({ a: 0.5 }), 0.01).distanceBelow01ReferenceUnits).toBe(false); // ½·0.25 = 0.125
  });
});
