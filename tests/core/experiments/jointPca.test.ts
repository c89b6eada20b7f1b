import { describe, expect, it } from 'vitest';
import { Matrix, SVD } from 'ml-matrix';
import { jointTensorPca, type RunRows } from '../../../src/core/experiments/jointPca';
import { createRng } from '../../../src/core/random';

/** Direct PCA: SVD of the centred rows of all runs together. */
function direct(rows: Float32Array[]) {
  const d = rows[0].length;
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / rows.length;
  const X = new Matrix(rows.map((r) => Array.from(r, (x, j) => x - mean[j])));
  const svd = new SVD(X, { autoTranspose: true });
  const total = svd.diagonal.reduce((s, x) => s + x * x, 0);
  const V = svd.rightSingularVectors;
  return {
    explained: svd.diagonal.slice(0, 2).map((s) => (s * s) / total),
    coords: rows.map((_, i) => [0, 1].map((c) => svd.leftSingularVectors.get(i, c) * svd.diagonal[c])),
    axis: (c: number) => V.getColumn(c),
  };
}

describe('joint per-layer PCA', () => {
  it.each([40, 1200])('equals a direct SVD of all runs’ rows (d = %i, both the ml-pca and the Gram path)', (d) => {
    const rng = createRng(d);
    const runs: RunRows[] = [0, 1, 2].map((r) => ({
      run: `run-${r}`,
      ticks: [0, 5, 10, 15],
      rows: [0, 1, 2, 3].map((t) =>
        Float32Array.from({ length: d }, (_, j) => Math.sin(j * (r + 1)) * t + rng.normal() * 0.1),
      ),
    }));
    const mine = jointTensorPca(runs);
    const all = runs.flatMap((r) => r.rows);
    const ref = direct(all);
    expect(mine.points).toBe(12);
    expect(mine.dims).toBe(d);
    mine.explained.forEach((e, c) => expect(e).toBeCloseTo(ref.explained[c], 6));
    const coords = mine.runs.flatMap((r) => r.coords);
    for (const c of [0, 1]) {
      // Same coordinates up to the sign of each axis.
      const sign = Math.sign(coords[0][c] * ref.coords[0][c]) || 1;
      coords.forEach((xy, i) => expect(xy[c] * sign).toBeCloseTo(ref.coords[i][c], 4));
    }
    expect(mine.runs.map((r) => r.run)).toEqual(['run-0', 'run-1', 'run-2']);
    expect(mine.runs[1].ticks).toEqual([0, 5, 10, 15]);
    for (const r of mine.runs) for (const e of r.explained) expect(e).toBeGreaterThanOrEqual(0);
    for (const r of mine.runs) expect(r.explained[0] + r.explained[1]).toBeLessThanOrEqual(1 + 1e-9);
  });
});
