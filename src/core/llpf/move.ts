import * as tf from '../tf';
import type { StepRule } from '../config';

/** Options of the Move step (paper Algorithm 1, lines 12–16; docs/ALGORITHMS.md). */
export interface MoveOptions {
  /** step_f: fixed step length. */
  stepF: number;
  /** step_a: step as a fraction of the distance n. */
  stepA: number;
  rule: StepRule;
  /** Cap the step at n so the point lands on the destination instead of overshooting. */
  clamp: boolean;
}

/**
 * Moves each layer group of P toward D by the step length s along d/n, where d = D_g − P_g
 * over the group's weight and bias together and n = ‖d‖ (paper Algorithm 1, line 5;
 * docs/ALGORITHMS.md, "Bias merged with weight"). s = max(step_f, step_a·n) ("max", the reference)
 * or step_a·n + step_f ("sum", the paper); docs/ALGORITHMS.md, "Step rule".
 * Returns the new tensors of the moved groups and each group's step length (scalars on the device).
 * Pure: P and D are not modified. A group already on D (n = 0) stays.
 */
export function moveToward(
  P: ReadonlyMap<string, tf.Tensor>,
  D: ReadonlyMap<string, tf.Tensor>,
  groups: ReadonlyMap<string, readonly string[]>,
  opts: MoveOptions,
): { next: Map<string, tf.Tensor>; stepLengths: Map<string, tf.Scalar> } {
  const next = new Map<string, tf.Tensor>();
  const stepLengths = new Map<string, tf.Scalar>();
  for (const [group, names] of groups) {
    const [moved, step] = tf.tidy(() => {
      const d = names.map((n) => tf.sub(D.get(n)!, P.get(n)!));
      const n = tf.sqrt(tf.addN(d.map((t) => tf.sum(tf.square(t)))));
      let s: tf.Tensor =
        opts.rule === 'max'
          ? tf.maximum(tf.scalar(opts.stepF), tf.mul(n, opts.stepA))
          : tf.add(tf.mul(n, opts.stepA), opts.stepF);
      if (opts.clamp) s = tf.minimum(s, n);
      // s/n with n = 0 → 0: a group sitting on its destination does not move.
      const scale = tf.where(tf.greater(n, 0), tf.div(s, tf.maximum(n, 1e-30)), tf.zerosLike(n));
      const moved = names.map((name, i) => tf.add(P.get(name)!, tf.mul(d[i], scale)));
      return [moved, tf.where(tf.greater(n, 0), s, tf.zerosLike(n)) as tf.Scalar] as const;
    });
    names.forEach((name, i) => next.set(name, moved[i]));
    stepLengths.set(group, step);
  }
  return { next, stepLengths };
}
