/**
 * Eigen-decomposition of a real symmetric matrix by cyclic Jacobi rotations, in float64.
 * Used for the K × K Gram matrix of the §5.3 displacements (SPEC §10): K is small (tens), so a
 * dense O(K³)-per-sweep method is exact enough and has no dependency. Jacobi is also accurate
 * for the small eigenvalues that decide a numerical rank (Demmel & Veselić 1992).
 */
export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** Unit eigenvectors, `vectors[i]` belongs to `values[i]`. */
  vectors: Float64Array[];
  /** Sweeps used (each visits every off-diagonal pair once). */
  sweeps: number;
}

/**
 * Eigenvalues and eigenvectors of the symmetric n × n matrix `a` (row-major, only its values are
 * read; the input is not modified). Sweeps until the off-diagonal mass is below
 * 1e-15 × ‖a‖_F, or `maxSweeps`.
 */
export function jacobiEigen(a: ArrayLike<number>, n: number, maxSweeps = 100): SymmetricEigen {
  if (a.length !== n * n) throw new Error(`jacobiEigen: ${a.length} values do not form a ${n}×${n} matrix`);
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += m[i] * m[i];
  const tol = 1e-30 * total;
  let sweeps = 0;
  for (; sweeps < maxSweeps; sweeps++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += 2 * m[p * n + q] * m[p * n + q];
    if (off <= tol) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) rotate(m, v, n, p, q);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => m[y * n + y] - m[x * n + x]);
  return {
    values: Float64Array.from(order, (i) => m[i * n + i]),
    vectors: order.map((c) => Float64Array.from({ length: n }, (_, r) => v[r * n + c])),
    sweeps,
  };
}

/** One Jacobi rotation zeroing m[p][q] (Numerical Recipes §11.1, the stable tan θ form). */
function rotate(m: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = m[p * n + q];
  if (apq === 0) return;
  const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < n; k++) {
    // Columns p and q of m ← m·J.
    const mkp = m[k * n + p];
    const mkq = m[k * n + q];
    m[k * n + p] = c * mkp - s * mkq;
    m[k * n + q] = s * mkp + c * mkq;
  }
  for (let k = 0; k < n; k++) {
    // Rows p and q of m ← Jᵀ·m.
    const mpk = m[p * n + k];
    const mqk = m[q * n + k];
    m[p * n + k] = c * mpk - s * mqk;
    m[q * n + k] = s * mpk + c * mqk;
  }
  m[p * n + q] = 0;
  m[q * n + p] = 0;
  for (let k = 0; k < n; k++) {
    const vkp = v[k * n + p];
    const vkq = v[k * n + q];
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}
