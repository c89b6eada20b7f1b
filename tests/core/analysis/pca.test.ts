import { describe, expect, it } from 'vitest';
import { PCA } from 'ml-pca';
import { alignSigns, fitPca, fitWithGram, gramMatrix, project } from '../../../src/core/analysis/pca';
import { createRng } from '../../../src/core/random';

/** Points along a noisy curve in d dimensions (like a path), n of them. */
function pathLike(n: number, d: number, seed: number): Float32Array[] {
  const rng = createRng(seed);
  const dir1 = Float32Array.from({ length: d }, () => rng.normal());
  const dir2 = Float32Array.from({ length: d }, () => rng.normal());
  return Array.from({ length: n }, (_, i) => {
    const t = i / n;
    return Float32Array.from(
      { length: d },
      (_, j) => 3 * t * dir1[j] + Math.sin(4 * t) * dir2[j] + 0.05 * rng.normal(),
    );
  });
}

describe('per-layer PCA', () => {
  it("the Gram-matrix method gives ml-pca's projection up to sign", () => {
    const rows = pathLike(40, 300, 1);
    const gram = fitWithGram(rows, gramMatrix(rows));
    const ml = new PCA(
      rows.map((r) => Array.from(r)),
      { center: true, scale: false },
    );
    const reference = ml.predict(
      rows.map((r) => Array.from(r)),
      { nComponents: 2 },
    );
    for (let c = 0; c < 2; c++) {
      const ours = rows.map((r) => project(gram, r)[c]);
      const theirs = reference.getColumn(c);
      const sign = Math.sign(ours[5] * theirs[5]);
      const worst = Math.max(...ours.map((v, i) => Math.abs(v - sign * theirs[i])));
      expect(worst).toBeLessThan(1e-3 * Math.max(...theirs.map(Math.abs)));
    }
    expect(gram.explained[0]).toBeCloseTo(ml.getExplainedVariance()[0], 4);
  });

  it('fits a 48,000-column tensor (fc1.weight) from the points × points Gram matrix', () => {
    const rows = pathLike(30, 48000, 2);
    const t0 = performance.now();
    const fit = fitPca(rows);
    expect(fit.axes).toHaveLength(2);
    expect(fit.axes[0].length).toBe(48000);
    expect(fit.explained[0]).toBeGreaterThan(0.5);
    // Projected coordinates are centred.
    const first = rows.map((r) => project(fit, r)[0]);
    expect(Math.abs(first.reduce((a, b) => a + b) / rows.length)).toBeLessThan(1e-3);
    console.log(`fc1-sized PCA of 30 points: ${(performance.now() - t0).toFixed(0)} ms`);
  });

  it('aligns signs between refits', () => {
    const rows = pathLike(20, 50, 3);
    const a = fitPca(rows);
    const flipped = { ...a, axes: a.axes.map((x) => x.map((v) => -v)) };
    const b = alignSigns(flipped, a);
    expect(b.axes[0][0]).toBeCloseTo(a.axes[0][0]);
  });
});
