import { jacobiEigen } from './jacobi';

/** Machine epsilon of float32 (2⁻²³), numpy's `finfo(float32).eps`: the weights' precision. */
export const FLOAT32_EPS = 2 ** -23;

/**
 * Singular values of the K × d matrix whose rows are `rows`, largest first: σᵢ = √λᵢ of the K × K
 * Gram matrix X·Xᵀ (accumulated in float64), so the cost is O(K²·d + K³) and fc1.weight's
 * 48,000 columns never form a d × d matrix (SPEC §5, §10). At most min(K, d) values are non-zero;
 * all K are returned (the reference's torch.linalg.svd returns min(K, d)).
 */
export function singularValues(rows: ArrayLike<number>[]): Float64Array {
  const k = rows.length;
  if (k === 0) return new Float64Array(0);
  const gram = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      const a = rows[i];
      const b = rows[j];
      let s = 0;
      for (let c = 0; c < a.length; c++) s += a[c] * b[c];
      gram[i * k + j] = gram[j * k + i] = s;
    }
  }
  return jacobiEigen(gram, k).values.map((l) => Math.sqrt(Math.max(l, 0)));
}

/**
 * Numerical rank: singular values above σ_max · max(K, d) · ε_float32 (numpy's `matrix_rank`
 * default tolerance for float32 data). Values below it are indistinguishable from rounding.
 */
export function numericalRank(sv: ArrayLike<number>, k: number, d: number): { rank: number; tolerance: number } {
  let max = 0;
  for (let i = 0; i < sv.length; i++) max = Math.max(max, sv[i]);
  const tolerance = max * Math.max(k, d) * FLOAT32_EPS;
  return { rank: countAbove(sv, tolerance), tolerance };
}

/** How many singular values exceed `threshold` (the reference's `torch.sum(s > threshold)`). */
export function countAbove(sv: ArrayLike<number>, threshold: number): number {
  let n = 0;
  for (let i = 0; i < sv.length; i++) if (sv[i] > threshold) n++;
  return n;
}

/** numpy.logspace(lo, hi, num): 10^x for num evenly spaced x from lo to hi inclusive. */
export function logspace(lo: number, hi: number, num: number): Float64Array {
  const step = (hi - lo) / (num - 1);
  return Float64Array.from({ length: num }, (_, i) => 10 ** (i === num - 1 ? hi : lo + i * step));
}

/** The reference's 1,000 thresholds, log-spaced from 1e-6 to 1e2 (`np.logspace(-6, 2, num=1000)`). */
export const REFERENCE_THRESHOLDS: Float64Array = logspace(-6, 2, 1000);

/** Effective rank at each threshold (the reference's `effective_rank_list`). */
export function effectiveRanks(sv: ArrayLike<number>, thresholds: ArrayLike<number> = REFERENCE_THRESHOLDS): number[] {
  return Array.from(thresholds, (t) => countAbove(sv, t));
}

/** A float as Python's repr writes it (pandas' default in `to_csv`): 1e-06, 0.0001, 100.0. */
export function pythonFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exp] = x.toExponential().split('e');
    const e = Number(exp);
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const s = String(x);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/**
 * threshold_dimension.csv as the reference writes it (`pandas.DataFrame.to_csv` with its index):
 * header `,threshold,<tensor>…`, then one row per threshold: index, threshold, effective rank per tensor.
 */
export function thresholdDimensionCsv(
  ranks: ReadonlyMap<string, readonly number[]>,
  thresholds: ArrayLike<number> = REFERENCE_THRESHOLDS,
): string {
  const names = [...ranks.keys()];
  let out = `,threshold,${names.join(',')}\n`;
  for (let i = 0; i < thresholds.length; i++) {
    out += `${i},${pythonFloat(thresholds[i])},${names.map((n) => ranks.get(n)![i]).join(',')}\n`;
  }
  return out;
}
