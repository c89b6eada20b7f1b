import * as tf from '../tf';
import { cloneParams, disposeParams, type Params } from '../model/lenet5';
import { unbiasedVariance } from './varianceCorrect';
import { PARAM_NAMES, type PhasedConfig } from './phases';

/**
 * Runs `make` (which creates tf.variables, e.g. toDevice, cloneParams, initLenet5) in a scope that
 * frees the initial tensors `tf.variable` leaves registered; the variables themselves survive.
 */
export function freeInitialCopies<T>(make: () => T): T {
  let out!: T;
  tf.tidy(() => {
    out = make();
  });
  return out;
}

/**
 * The state of one LLPF path: the current point P (owned), destination D (for M2O, the origin),
 * the start point P₀ and its per-tensor variances v. Together with the mini-batch stream's
 * cursor, `current` and `tick` are everything the next tick needs (a checkpoint; docs/ALGORITHMS.md).
 */
export class PathState {
  /** P: the current point, trainable variables. */
  readonly current: Params;
  /** D per tensor (zeros for M2O). */
  readonly destination: Map<string, tf.Tensor>;
  /** P₀ per tensor: the start model (A), also when continuing from a checkpoint. */
  readonly start: Map<string, tf.Tensor>;
  /** v[t]: unbiased variance of each tensor of P₀ (the VarianceCorrection target). */
  readonly startVariance: Map<string, tf.Scalar>;
  /** ‖P₀‖ per tensor, for the cosine to the start (constant, so computed once). */
  readonly startNorm: Map<string, tf.Scalar>;
  /** Ticks done. */
  tick: number;
  /** The adaptive step multiplier (1 unless `adaptive` shrank it; part of a checkpoint). */
  stepScale = 1;

  /** `resumeFrom`: continue at `tick` from this point instead of the start. Inputs are copied. */
  constructor(
    start: Params,
    destination: Params | null,
    readonly config: PhasedConfig,
    resumeFrom?: Params,
    tick = 0,
  ) {
    this.current = freeInitialCopies(() => cloneParams(resumeFrom ?? start));
    this.tick = resumeFrom ? tick : 0;
    this.start = new Map([...start].map(([n, v]) => [n, tf.clone(v)]));
    this.destination = new Map(
      PARAM_NAMES.map((n) => [n, destination ? tf.clone(destination.get(n)!) : tf.zerosLike(start.get(n)!)]),
    );
    this.startVariance = new Map(PARAM_NAMES.map((n) => [n, unbiasedVariance(start.get(n)!)]));
    this.startNorm = new Map(PARAM_NAMES.map((n) => [n, tf.norm(start.get(n)!) as tf.Scalar]));
  }

  dispose(): void {
    disposeParams(this.current);
    tf.dispose([...this.destination.values(), ...this.start.values()]);
    tf.dispose([...this.startVariance.values(), ...this.startNorm.values()]);
  }
}
