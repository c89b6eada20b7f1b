/**
 * Maximising linear assignment (the step of Git Re-Basin weight matching, Ainsworth et al. 2023).
 * The Hungarian method with potentials (Kuhn 1955, Munkres 1957; the O(n³) shortest
 * augmenting path form, as in Jonker–Volgenant), minimising −C.
 */

/**
 * The permutation π maximising Σᵢ C[i][π(i)] for a square n×n matrix given row-major.
 * Returns π as an Int32Array: row i is assigned column π[i].
 */
export function maximiseAssignment(cost: ArrayLike<number>, n: number): Int32Array {
  if (cost.length !== n * n) throw new Error(`assignment: ${cost.length} entries for a ${n}×${n} matrix`);
  for (let i = 0; i < cost.length; i++)
    if (!Number.isFinite(cost[i])) throw new Error('assignment: every cost must be finite');
  const a = (i: number, j: number) => -cost[(i - 1) * n + (j - 1)]; // 1-based, minimised
  const u = new Float64Array(n + 1); // row potentials
  const v = new Float64Array(n + 1); // column potentials
  const p = new Int32Array(n + 1); // p[j]: row matched to column j (0: none)
  const way = new Int32Array(n + 1);
  const minv = new Float64Array(n + 1);
  const used = new Uint8Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = a(i0, j) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const perm = new Int32Array(n);
  for (let j = 1; j <= n; j++) perm[p[j] - 1] = j - 1;
  return perm;
}

/** Σᵢ C[i][π(i)]. */
export function assignmentValue(cost: ArrayLike<number>, n: number, perm: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += cost[i * n + perm[i]];
  return s;
}
