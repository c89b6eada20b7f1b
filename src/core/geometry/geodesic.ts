import type { HostParams } from '../model/lenet5';
import { copyHost, gather, norm, scatter, spheres } from './units';

/**
 * Geodesics on the product of unit spheres (SPEC §7; Pittorino et al. 2022, §3): for canonical
 * models every unit (and fc3 as a whole) lies on a unit sphere; the geodesic slerps each sphere
 * independently, γ(t) = [sin((1−t)θ)·a + sin(tθ)·b] / sin θ with cos θ = a·b, and its length is
 * √(Σ θ²) over the 227 spheres.
 */

/** The angle θ (radians) between the two models on each sphere, in layer order. */
export function sphereAngles(a: HostParams, b: HostParams): Float64Array {
  return Float64Array.from(spheres(), (s) => angle(gather(a, s), gather(b, s)));
}

/** Geodesic distance √(Σ θ²) between two canonical models. */
export function geodesicDistance(a: HostParams, b: HostParams): number {
  return norm(sphereAngles(a, b));
}

/** The point γ(t) of the geodesic from a (t = 0) to b (t = 1), both canonical. */
export function slerpModels(a: HostParams, b: HostParams, t: number): HostParams {
  const out = copyHost(a);
  for (const s of spheres()) scatter(out, s, slerp(gather(a, s), gather(b, s), t));
  return out;
}

/** Slerp of two unit vectors; falls back to the straight line when sin θ ≈ 0 (θ ≈ 0, the limit). */
export function slerp(a: Float64Array, b: Float64Array, t: number): Float64Array {
  const theta = angle(a, b);
  const s = Math.sin(theta);
  const out = new Float64Array(a.length);
  if (s < 1e-9) {
    for (let i = 0; i < a.length; i++) out[i] = (1 - t) * a[i] + t * b[i];
    return out;
  }
  const fa = Math.sin((1 - t) * theta) / s;
  const fb = Math.sin(t * theta) / s;
  for (let i = 0; i < a.length; i++) out[i] = fa * a[i] + fb * b[i];
  return out;
}

/** Angle between two vectors, arccos of their cosine clamped to [−1, 1]; 0 when either is zero. */
export function angle(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  const na = norm(a);
  const nb = norm(b);
  if (na === 0 || nb === 0) return 0;
  return Math.acos(Math.max(-1, Math.min(1, dot / (na * nb))));
}

/** The straight line (1 − t)·a + t·b in parameter space. */
export function lerpModels(a: HostParams, b: HostParams, t: number): HostParams {
  const out: HostParams = new Map();
  for (const [n, va] of a) {
    const vb = b.get(n)!;
    out.set(
      n,
      Float32Array.from(va, (x, i) => (1 - t) * x + t * vb[i]),
    );
  }
  return out;
}

/** Euclidean distance ‖a − b‖ over all parameters. */
export function l2Distance(a: HostParams, b: HostParams): number {
  let s = 0;
  for (const [n, va] of a) {
    const vb = b.get(n)!;
    for (let i = 0; i < va.length; i++) s += (va[i] - vb[i]) ** 2;
  }
  return Math.sqrt(s);
}
