import * as tf from '../tf';
import { LENET5, size } from '../model/spec';
import type { Params } from '../model/lenet5';
import type { Batch } from '../data/batches';
import type { SgdOptions, StepResult } from '../train/sgd';
import { KERNEL_OFFSETS } from './lenet5Kernel';
import { kernelParamsGradient } from './lenet5Grad';

/**
 * sgdStep on the wasm backend through the hand-written kernel (issue #10): parameters and the batch
 * are copied into the kernel's memory (the wasm backend reads synchronously), one call computes the
 * loss and all gradients, and the update (PyTorch's SGD with momentum, per-tensor rates) is applied
 * on the host and uploaded with one `assign` per trained tensor. Same results as the autodiff path
 * to float rounding. Returns null (caller falls back to autodiff) when the model or batch is not a
 * LeNet5 one or WASM SIMD is unavailable.
 */
export function kernelSgdStep(params: Params, batch: Batch, opts: SgdOptions): StepResult | null {
  const mu = opts.momentum ?? 0;
  if (mu > 0 && !opts.velocity) throw new Error('momentum needs a velocity map');
  const k = kernelParamsGradient(params, batch);
  if (!k) return null;
  const { loss, correct } = k;

  for (const p of LENET5) {
    const name = p.name;
    if (opts.trainable && !opts.trainable.has(name)) continue;
    const at = KERNEL_OFFSETS.get(name)!;
    const len = size(p.shape);
    const value = k.params.subarray(at, at + len);
    const grad = k.grad.subarray(at, at + len);
    const rate = typeof opts.lr === 'number' ? opts.lr : (opts.lr.get(name) ?? 0);
    const lr = typeof rate === 'number' ? rate : rate.dataSync()[0];
    let step: Float32Array = grad;
    if (mu > 0) {
      const velocity = opts.velocity!;
      const old = velocity.get(name);
      // PyTorch: the first step's buffer is the gradient itself; then v ← μv + g.
      const v = old ? (old.dataSync() as Float32Array) : Float32Array.from(grad);
      if (old) for (let i = 0; i < len; i++) v[i] = Math.fround(v[i] * mu) + grad[i];
      step = v;
      const t = tf.tensor(v, p.shape, 'float32');
      if (old) old.assign(t);
      else velocity.set(name, tf.variable(t, false));
      t.dispose();
    }
    const next = new Float32Array(len);
    for (let i = 0; i < len; i++) next[i] = value[i] - Math.fround(step[i] * lr);
    const t = tf.tensor(next, p.shape, 'float32');
    params.get(name)!.assign(t);
    t.dispose();
  }
  return { loss: tf.scalar(loss), correct: tf.scalar(correct) };
}
