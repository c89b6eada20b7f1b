import { PCA } from 'ml-pca';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * Per-layer PCA of path points (SPEC §5): rows are recorded points, columns one tensor's
 * entries; centred, not scaled; 2 components. fc1.weight has 48,000 columns, so wide tensors
 * use the points × points Gram matrix (cost in the number of points, not d × d);
 * narrow ones use ml-pca directly. Both give the same projection up to sign (tests/core/analysis).
 */
export interface PcaFit {
  /** Mean of the rows (length d). */
  mean: Float64Array;
  /** Unit principal axes, `components` of them, each length d. */
  axes: Float64Array[];
  /** Fraction of the total variance along each axis. */
  explained: number[];
}

/** Widest tensor handed to ml-pca (its SVD works on the d columns). */
export const ML_PCA_MAX_COLUMNS = 500;

export function fitPca(rows: Float32Array[], components = 2): PcaFit {
  const n = rows.length;
  if (n < 2) throw new Error('PCA needs at least two points');
  const d = rows[0].length;
  return d <= ML_PCA_MAX_COLUMNS ? fitWithMlPca(rows, components) : fitWithGram(rows, gramMatrix(rows), components);
}

function fitWithMlPca(rows: Float32Array[], components: number): PcaFit {
  const d = rows[0].length;
  const pca = new PCA(
    rows.map((r) => Array.from(r)),
    { center: true, scale: false },
  );
  const vectors = pca.getEigenvectors();
  const explained = pca.getExplainedVariance();
  const k = Math.min(components, vectors.columns);
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / rows.length;
  const axes = Array.from({ length: k }, (_, c) => Float64Array.from(vectors.getColumn(c)));
  return { mean, axes, explained: explained.slice(0, k) };
}

/** Uncentred dot products K[i][j] = ⟨row_i, row_j⟩ (extend it row by row as points arrive). */
export function gramMatrix(rows: Float32Array[]): number[][] {
  const K: number[][] = rows.map(() => []);
  for (let i = 0; i < rows.length; i++) for (let j = 0; j <= i; j++) K[i][j] = K[j][i] = dot(rows[i], rows[j]);
  return K;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * PCA from the uncentred Gram matrix K: centre it (Kc = HKH), take the top eigenvectors u of
 * Kc, and form the axes Xcᵀu/√λ. Cost O(n³ + n·d).
 */
export function fitWithGram(rows: Float32Array[], K: number[][], components = 2): PcaFit {
  const n = rows.length;
  const d = rows[0].length;
  const rowMean = K.map((r) => r.reduce((a, b) => a + b, 0) / n);
  const allMean = rowMean.reduce((a, b) => a + b, 0) / n;
  const Kc = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Kc.set(i, j, K[i][j] - rowMean[i] - rowMean[j] + allMean);
  const evd = new EigenvalueDecomposition(Kc, { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
  const total = order.reduce((s, [v]) => s + Math.max(v, 0), 0);
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / n;
  const axes: Float64Array[] = [];
  const explained: number[] = [];
  for (const [lambda, idx] of order.slice(0, Math.min(components, n - 1))) {
    if (!(lambda > 1e-12 * Math.max(total, 1e-30))) break;
    const u = evd.eigenvectorMatrix.getColumn(idx);
    const axis = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const w = u[i];
      const r = rows[i];
      for (let j = 0; j < d; j++) axis[j] += w * (r[j] - mean[j]);
    }
    const norm = Math.sqrt(dot(axis, axis));
    for (let j = 0; j < d; j++) axis[j] /= norm;
    axes.push(axis);
    explained.push(lambda / total);
  }
  return { mean, axes, explained };
}

/** Coordinates of a point on the fitted axes. */
export function project(fit: PcaFit, row: ArrayLike<number>): number[] {
  return fit.axes.map((axis) => {
    let s = 0;
    for (let j = 0; j < axis.length; j++) s += (row[j] - fit.mean[j]) * axis[j];
    return s;
  });
}

/** PCA signs are arbitrary: flip each new axis to agree with the previous fit, so the plot does not jump. */
export function alignSigns(fit: PcaFit, previous: PcaFit | null): PcaFit {
  if (!previous) return fit;
  fit.axes.forEach((axis, c) => {
    const old = previous.axes[c];
    if (old && dot(axis, old) < 0) for (let j = 0; j < axis.length; j++) axis[j] = -axis[j];
  });
  return fit;
}
