import { describe, expect, it } from 'vitest';
import { Matrix, SVD } from 'ml-matrix';
import {
  effectiveRanks,
  logspace,
  numericalRank,
  pythonFloat,
  REFERENCE_THRESHOLDS,
  singularValues,
  thresholdDimensionCsv,
} from '../../../src/core/experiments/rank';
import { createRng } from '../../../src/core/random';

describe('singular values through the Gram matrix', () => {
  it('equal a direct SVD for wide and tall matrices; rank-deficient rows are found', () => {
    const rng = createRng(3);
    for (const [k, d] of [
      [5, 300],
      [8, 6],
    ]) {
      const rows = Array.from({ length: k }, () => Float32Array.from({ length: d }, () => rng.normal()));
      const direct = new SVD(new Matrix(rows.map((r) => Array.from(r))), { autoTranspose: true }).diagonal;
      const mine = singularValues(rows);
      direct.forEach((s, i) => expect(Math.abs(mine[i] - s)).toBeLessThan(1e-9 * direct[0]));
      expect(numericalRank(mine.subarray(0, Math.min(k, d)), k, d).rank).toBe(Math.min(k, d));
    }
    const base = Array.from({ length: 2 }, () => Array.from({ length: 50 }, () => rng.normal()));
    const mixed = Array.from({ length: 4 }, (_, i) =>
      Float32Array.from(base[0], (x, j) => x * (i + 1) + base[1][j] * (3 - i)),
    );
    expect(numericalRank(singularValues(mixed), 4, 50).rank).toBe(2);
  });
});

describe('the reference threshold sweep', () => {
  it('1,000 log-spaced thresholds from 1e-6 to 1e2 (np.logspace)', () => {
    expect(REFERENCE_THRESHOLDS).toHaveLength(1000);
    expect(REFERENCE_THRESHOLDS[0]).toBe(1e-6);
    expect(REFERENCE_THRESHOLDS[999]).toBe(100);
    expect(REFERENCE_THRESHOLDS[1]).toBeCloseTo(1.0186101701559753e-6, 20);
    expect(logspace(0, 2, 3)).toEqual(Float64Array.from([1, 10, 100]));
    expect(effectiveRanks([5, 0.5, 1e-7], [1e-6, 1, 10])).toEqual([2, 1, 0]);
  });

  it('writes threshold_dimension.csv as pandas does', () => {
    expect([1e-6, 0.0001, 0.5, 100, 1.0186101701559753e-6, 1e20].map(pythonFloat)).toEqual([
      '1e-06',
      '0.0001',
      '0.5',
      '100.0',
      '1.0186101701559753e-06',
      '1e+20',
    ]);
    const csv = thresholdDimensionCsv(
      new Map([
        ['conv1.bias', [6, 5]],
        ['fc3.bias', [8, 0]],
      ]),
      [1e-6, 100],
    );
    expect(csv).toBe(',threshold,conv1.bias,fc3.bias\n0,1e-06,6,8\n1,100.0,5,0\n');
  });
});
