import type { PathPoint } from './pathPoint';

/** The paper's M2M claims checked on a finished path (§5.1; docs/ALGORITHMS.md, "Two distance units"). */
export interface M2mClaims {
  /** Training-loss moving average ≤ 0.1 at every tick with training. */
  lossBelow01: boolean;
  maxTrainLossMovingAverage: number | null;
  /** Every tensor's ½‖P − D‖² < 0.1 at the end: the reference's `weight_difference_l2.csv` units. */
  distanceBelow01ReferenceUnits: boolean;
  /** The largest ½‖P − D‖² at the end and its tensor. */
  maxHalfSqDistToDest: number;
  tensor: string;
  /** The largest true ‖P − D‖ at the end (what the app plots; stricter than the paper's reading). */
  maxDistToDest: number;
}

export const CLAIM_LIMIT = 0.1;

export function m2mClaims(final: PathPoint, maxTrainLossMovingAverage: number | null): M2mClaims {
  let maxHalf = -Infinity;
  let maxDist = -Infinity;
  let tensor = '';
  for (const [name, t] of Object.entries(final.tensors)) {
    if (t.halfSqDistToDest > maxHalf) [maxHalf, tensor] = [t.halfSqDistToDest, name];
    maxDist = Math.max(maxDist, t.distToDest);
  }
  return {
    lossBelow01: maxTrainLossMovingAverage === null || maxTrainLossMovingAverage <= CLAIM_LIMIT,
    maxTrainLossMovingAverage,
    distanceBelow01ReferenceUnits: maxHalf < CLAIM_LIMIT,
    maxHalfSqDistToDest: maxHalf,
    tensor,
    maxDistToDest: maxDist,
  };
}

/** One line for the terminal, naming the units. */
export function describeClaims(c: M2mClaims): string {
  const yes = (b: boolean) => (b ? 'yes' : 'NO');
  const loss = c.maxTrainLossMovingAverage?.toFixed(4) ?? '—';
  return (
    `paper claims: loss moving average ≤ 0.1 at every tick: ${yes(c.lossBelow01)} (max ${loss}); ` +
    `every tensor's ½‖P−D‖² < 0.1 at the end (the reference's units): ${yes(c.distanceBelow01ReferenceUnits)} ` +
    `(max ${c.maxHalfSqDistToDest.toFixed(4)}, ${c.tensor}); largest true ‖P−D‖ ${c.maxDistToDest.toFixed(4)}`
  );
}
