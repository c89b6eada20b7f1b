import type { HostParams } from '../model/lenet5';
import type { EvalSet } from '../data/batches';
import { alignTo } from './align';
import { canonicalizeWithScale } from './canonical';
import { disposeModel, errorRate, functionDistance, upload } from './errors';
import { geodesicDistance, l2Distance } from './geodesic';

/**
 * Distances between two models after symmetry removal (Pittorino et al. 2022, §2–3; SPEC §7).
 * The geodesic pair: both models in scale canonical form, B's hidden units permuted to match A
 * (weight matching on the canonical weights, so the match ignores scale). A permuted canonical
 * model is still canonical.
 */
export interface CanonicalPair {
  /** canon(A). */
  a: HostParams;
  /** canon(B) with its units permuted to match canon(A): the same function as B. */
  b: HostParams;
  /** Per hidden layer, perm[i] = the unit of B placed at position i. */
  permutations: Record<string, Int32Array>;
  /**
   * Geometric mean of the two models' logit scales (raw logits = scale × canonical logits): the
   * temperature that gives canonical points the raw models' cross-entropy when training a chain.
   */
  logitScale: number;
}

export function canonicalPair(a: HostParams, b: HostParams): CanonicalPair {
  const ca = canonicalizeWithScale(a);
  const cb = canonicalizeWithScale(b);
  const { aligned, permutations } = alignTo(ca.params, cb.params);
  return { a: ca.params, b: aligned, permutations, logitScale: Math.sqrt(ca.logitScale * cb.logitScale) };
}

/** The four distances of issue #14 plus both test errors. */
export interface Comparison {
  /** ‖A − B‖ over all raw parameters. */
  l2: number;
  /** ‖A − π(B)‖, B permuted to A by weight matching on the raw weights (Git Re-Basin). */
  l2Aligned: number;
  /** √(Σ θ²) over the 227 spheres between canonical aligned A and B (radians). */
  geodesic: number;
  /** Fraction of the test images on which the argmaxes of A and B differ. */
  functionDistance: number;
  /** 0-1 test errors (fractions). */
  testErrorA: number;
  testErrorB: number;
}

export async function compareModels(
  a: HostParams,
  b: HostParams,
  test: EvalSet,
  pair = canonicalPair(a, b),
): Promise<Comparison> {
  const da = upload(a);
  const db = upload(b);
  try {
    return {
      l2: l2Distance(a, b),
      l2Aligned: l2Distance(a, alignTo(a, b).aligned),
      geodesic: geodesicDistance(pair.a, pair.b),
      functionDistance: await functionDistance(da, db, test),
      testErrorA: await errorRate(da, test),
      testErrorB: await errorRate(db, test),
    };
  } finally {
    disposeModel(da);
    disposeModel(db);
  }
}
