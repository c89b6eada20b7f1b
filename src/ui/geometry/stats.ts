/** Small statistics for the Geometry section's tables and scatter plots (no TF.js in the UI). */

/** δE at the σ of the sweep closest to `sigma` (fraction). */
export function energyAt(r: { sigma: number[]; localEnergy: number[] }, sigma: number): number {
  let best = 0;
  r.sigma.forEach((s, i) => {
    if (Math.abs(s - sigma) < Math.abs(r.sigma[best] - sigma)) best = i;
  });
  return r.localEnergy[best] ?? NaN;
}

/** Pearson correlation of paired values (NaN with fewer than 3 points or no spread). */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n < 3 || y.length !== n) return NaN;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}
