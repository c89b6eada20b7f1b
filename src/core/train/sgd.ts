import * as tf from '../tf';
import { correctCount, crossEntropy, forward, type Params } from '../model/lenet5';
import type { Batch } from '../data/batches';
import { kernelSgdStep } from '../kernels/lenet5Sgd';
import { webgpuSgdStep } from '../kernels/webgpu/sgdStep';

/** SGD hyperparameters for one step. */
export interface SgdOptions {
  /** Learning rate: one number for every tensor, or a rate per parameter name (AngleConformal; may stay on
   *  the device). */
  lr: number | ReadonlyMap<string, number | tf.Scalar>;
  /** Heavy-ball momentum μ as in PyTorch's SGD (v ← μv + g; p ← p − lr·v); 0 for plain SGD. */
  momentum?: number;
  /** Momentum buffers, created on first use and kept by the caller between steps. */
  velocity?: Map<string, tf.Variable>;
  /** Which parameters train (default: all); the rest are held fixed. */
  trainable?: ReadonlySet<string>;
}

/** What one step measured, before its update; scalars still on the device (read back rarely, SPEC §8). */
export interface StepResult {
  /** Mean cross-entropy of the mini-batch. */
  loss: tf.Scalar;
  /** Correct top-1 predictions in the mini-batch. */
  correct: tf.Scalar;
}

/**
 * One SGD step on a mini-batch. On the wasm backend a LeNet5 step runs in the hand-written kernel
 * (src/core/kernels, issue #10: ~10× faster than TF.js's gradient kernels, SPEC §8); elsewhere, or
 * for another model, it is TF.js autodiff (`autodiffSgdStep`). Same results to float rounding.
 */
export function sgdStep(params: Params, batch: Batch, opts: SgdOptions): StepResult {
  return (
    kernelSgdStep(params, batch, opts) ?? webgpuSgdStep(params, batch, opts) ?? autodiffSgdStep(params, batch, opts)
  );
}

/**
 * sgdStep through tf.variableGrads. TF.js optimisers take one rate for all variables, so the
 * update is written out here (per-tensor rates for AngleConformal).
 */
export function autodiffSgdStep(params: Params, batch: Batch, opts: SgdOptions): StepResult {
  const names = [...params.keys()].filter((n) => !opts.trainable || opts.trainable.has(n));
  const vars = names.map((n) => params.get(n)!);
  return tf.tidy(() => {
    let correct: tf.Scalar | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const logits = forward(params, batch.x);
      // variableGrads frees everything but the loss; keep the hit count for the caller.
      correct = tf.keep(correctCount(logits, batch.y));
      return crossEntropy(logits, batch.y);
    }, vars);
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
    return { loss: value, correct: correct! };
  });
}

export function disposeVelocity(velocity: Map<string, tf.Variable>): void {
  for (const v of velocity.values()) v.dispose();
  velocity.clear();
}
