import type { HostParams } from '../model/lenet5';
import type { EvalSet } from '../data/batches';
import { hostErrorRate } from './errors';
import { lerpModels, slerpModels } from './geodesic';

/**
 * The 0-1 error landscape along a path (Pittorino et al. 2022, §4; SPEC §7, §9): train error on a
 * fixed training subset (the CLI: first 10,000 training images, no augmentation) and test error,
 * at evenly spaced t, with the barrier max_t E(t) − [(1−t)·E(0) + t·E(1)].
 */
export interface ErrorProfile {
  /** Path parameter 0..1 of each evaluated point. */
  t: number[];
  /** 0-1 error on the training subset at each t (fraction). */
  trainError: number[];
  /** 0-1 error on the test set at each t (fraction). */
  testError: number[];
  /** Train-error barrier (fraction; ≥ 0 up to the end points' own values). */
  barrier: number;
  /** The same barrier on the test error. */
  testBarrier: number;
}

export interface LandscapeSets {
  train: EvalSet;
  test: EvalSet;
}

/** Evenly spaced t in [0, 1], `points` ≥ 2 of them. */
export function evenT(points: number): number[] {
  if (!Number.isInteger(points) || points < 2) throw new Error(`points must be an integer ≥ 2, got ${points}`);
  return Array.from({ length: points }, (_, i) => i / (points - 1));
}

/** max_t E(t) − linear interpolation of the end errors. */
export function barrierOf(t: readonly number[], e: readonly number[]): number {
  const n = e.length - 1;
  return Math.max(...e.map((v, i) => v - ((1 - t[i]) * e[0] + t[i] * e[n])));
}

/** Errors along any path given as t ↦ model. `onPoint` sees each point as it is measured. */
export async function errorAlongPath(
  at: (t: number) => HostParams,
  ts: readonly number[],
  sets: LandscapeSets,
  onPoint?: (i: number, trainError: number, testError: number) => void,
): Promise<ErrorProfile> {
  const trainError: number[] = [];
  const testError: number[] = [];
  for (let i = 0; i < ts.length; i++) {
    const m = at(ts[i]);
    trainError.push(await hostErrorRate(m, sets.train));
    testError.push(await hostErrorRate(m, sets.test));
    onPoint?.(i, trainError[i], testError[i]);
  }
  const t = [...ts];
  return { t, trainError, testError, barrier: barrierOf(t, trainError), testBarrier: barrierOf(t, testError) };
}

/** Along the geodesic between two canonical (aligned) models. */
export function geodesicProfile(
  a: HostParams,
  b: HostParams,
  points: number,
  sets: LandscapeSets,
): Promise<ErrorProfile> {
  return errorAlongPath((t) => slerpModels(a, b, t), evenT(points), sets);
}

/** Along the straight line between two models in raw parameter space. */
export function linearProfile(
  a: HostParams,
  b: HostParams,
  points: number,
  sets: LandscapeSets,
): Promise<ErrorProfile> {
  return errorAlongPath((t) => lerpModels(a, b, t), evenT(points), sets);
}
