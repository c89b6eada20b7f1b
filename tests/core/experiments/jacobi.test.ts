import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { jacobiEigen } from '../../../src/core/experiments/jacobi';
import { createRng } from '../../../src/core/random';

/** ‖A·v − λ·v‖ for an eigenpair of the row-major n × n matrix a. */
function residual(a: number[], n: number, lambda: number, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let av = 0;
    for (let j = 0; j < n; j++) av += a[i * n + j] * v[j];
    s += (av - lambda * v[i]) ** 2;
  }
  return Math.sqrt(s);
}

describe('jacobiEigen', () => {
  it('diagonal and 2×2 matrices with known eigenvalues', () => {
    expect(Array.from(jacobiEigen([3, 0, 0, 0, -1, 0, 0, 0, 2], 3).values)).toEqual([3, 2, -1]);
    // [[2, 1], [1, 2]]: eigenvalues 3 and 1, eigenvectors (1, 1)/√2 and (1, −1)/√2.
    const e = jacobiEigen([2, 1, 1, 2], 2);
    expect(e.values[0]).toBeCloseTo(3, 14);
    expect(e.values[1]).toBeCloseTo(1, 14);
    expect(Math.abs(e.vectors[0][0])).toBeCloseTo(Math.SQRT1_2, 14);
    expect(e.vectors[0][0] * e.vectors[0][1]).toBeGreaterThan(0);
  });

  it('the 4×4 Hilbert-like matrix and a random symmetric 12×12 agree with ml-matrix to 1e-12', () => {
    const rng = createRng(7);
    for (const n of [4, 12]) {
      const a: number[] = new Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = n === 4 ? 1 / (i + j + 1) : rng.normal();
      const mine = jacobiEigen(a, n);
      const rows = Array.from({ length: n }, (_, i) => a.slice(i * n, (i + 1) * n));
      const ref = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues.sort(
        (x, y) => y - x,
      );
      ref.forEach((l, i) => expect(Math.abs(mine.values[i] - l)).toBeLessThan(1e-12 * Math.max(1, Math.abs(l))));
      mine.vectors.forEach((v, i) => expect(residual(a, n, mine.values[i], v)).toBeLessThan(1e-12));
      // Orthonormal eigenvectors.
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const d = mine.vectors[i].reduce((s, x, k) => s + x * mine.vectors[j][k], 0);
          expect(Math.abs(d - (i === j ? 1 : 0))).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('a rank-deficient Gram matrix has exact zero eigenvalues (to rounding)', () => {
    // Rows (1, 2, 3), (2, 4, 6), (0, 1, 0): rank 2.
    const X = [
      [1, 2, 3],
      [2, 4, 6],
      [0, 1, 0],
    ];
    const G = X.flatMap((r) => X.map((s) => r.reduce((acc, x, k) => acc + x * s[k], 0)));
    const e = jacobiEigen(G, 3);
    expect(e.values[1]).toBeGreaterThan(0.1);
    expect(Math.abs(e.values[2])).toBeLessThan(1e-12);
  });
});
