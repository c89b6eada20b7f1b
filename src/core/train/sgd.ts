import * as tf from '../tf';
import { crossEntropy, forward, type Params } from '../model/lenet5';
import type { Batch } from '../data/batches';

/** SGD hyperparameters for one step. */
export interface SgdOptions {
  /** Learning rate: one number for every tensor, or a rate per parameter name (AngleConformal). */
  lr: number | ReadonlyMap<string, number>;
  /** Heavy-ball momentum μ as in PyTorch's SGD (v ← μv + g; p ← p − lr·v); 0 for plain SGD. */
  momentum?: number;
  /** Momentum buffers, created on first use and kept by the caller between steps. */
  velocity?: Map<string, tf.Variable>;
  /** Which parameters train (default: all); the rest are held fixed. */
  trainable?: ReadonlySet<string>;
}

/**
 * One SGD step on a mini-batch; returns the mini-batch loss *before* the update as a scalar
 * still on the device (the caller decides when to read it back, SPEC §8).
 * TF.js optimisers take one rate for all variables, so the update is written out here.
 */
export function sgdStep(params: Params, batch: Batch, opts: SgdOptions): tf.Scalar {
  const names = [...params.keys()].filter((n) => !opts.trainable || opts.trainable.has(n));
  const vars = names.map((n) => params.get(n)!);
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => crossEntropy(forward(params, batch.x), batch.y), vars);
    const mu = opts.momentum ?? 0;
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const p = vars[i];
      const lr = typeof opts.lr === 'number' ? opts.lr : (opts.lr.get(name) ?? 0);
      let g: tf.Tensor = grads[p.name];
      if (mu > 0) {
        const velocity = opts.velocity;
        if (!velocity) throw new Error('momentum needs a velocity map');
        let v = velocity.get(name);
        if (!v) {
          v = tf.variable(tf.zerosLike(p), false);
          velocity.set(name, v);
          v.assign(g); // PyTorch: the first step's buffer is the gradient itself.
        } else {
          v.assign(tf.add(tf.mul(v, mu), g));
        }
        g = v;
      }
      p.assign(tf.sub(p, tf.mul(g, lr)));
    }
    return value;
  });
}

export function disposeVelocity(velocity: Map<string, tf.Variable>): void {
  for (const v of velocity.values()) v.dispose();
  velocity.clear();
}
