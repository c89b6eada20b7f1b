import * as tf from '../tf';
import { LENET5 } from '../model/spec';
import type { Batch } from '../data/batches';
import { KERNEL_OFFSETS, lenet5Kernel } from './lenet5Kernel';

/** One pass of the kernel: the mini-batch's mean cross-entropy, its correct count and dL/dθ. */
export interface KernelGradient {
  loss: number;
  correct: number;
  /** dL/dθ, flat in the kernel's order (= flat.ts: state_dict order, engine layouts); a view of the kernel's
   *  memory, valid until its next call. */
  grad: Float32Array;
  /** θ as the kernel read it, in the same order; a view as `grad` is. */
  params: Float32Array;
}

/**
 * Runs the hand-written LeNet5 kernel (issue #10) on a mini-batch for parameters that `write` puts into the
 * kernel's flat block. Only on the wasm backend, whose tensors read back synchronously (never on WebGPU,
 * SPEC §8), and for LeNet5 batches of float32 images [n, 28, 28, 1] and labels [n, 10]; null otherwise, and the
 * caller takes TF.js autodiff.
 */
export function kernelGradient(batch: Batch, write: (params: Float32Array) => void): KernelGradient | null {
  if (tf.getBackend() !== 'wasm') return null;
  const [n, h, w, c] = batch.x.shape;
  if (h !== 28 || w !== 28 || c !== 1 || batch.y.shape[0] !== n || batch.y.shape[1] !== 10) return null;
  if (batch.x.dtype !== 'float32') return null;
  const k = lenet5Kernel(n);
  if (!k) return null;
  write(k.params);
  k.x.set(batch.x.dataSync() as Float32Array);
  k.y.set(batch.y.dataSync() as Float32Array);
  const [loss, correct] = k.step();
  return { loss, correct, grad: k.grads, params: k.params };
}

/** kernelGradient of a LeNet5 parameter map (null when a tensor is missing or not a float32 of its shape). */
export function kernelParamsGradient(params: ReadonlyMap<string, tf.Tensor>, batch: Batch): KernelGradient | null {
  if (params.size !== LENET5.length) return null;
  for (const p of LENET5) {
    const v = params.get(p.name);
    if (!v || v.dtype !== 'float32' || !tf.util.arraysEqual(v.shape, p.shape)) return null;
  }
  return kernelGradient(batch, (into) => {
    for (const p of LENET5) into.set(params.get(p.name)!.dataSync() as Float32Array, KERNEL_OFFSETS.get(p.name)!);
  });
}

/** kernelGradient of a flat θ (a device vector, flat.ts order). */
export function kernelFlatGradient(theta: tf.Tensor1D, batch: Batch): KernelGradient | null {
  if (theta.dtype !== 'float32') return null;
  return kernelGradient(batch, (into) => {
    if (theta.size !== into.length) throw new Error(`a flat LeNet5 has ${into.length} parameters, not ${theta.size}`);
    into.set(theta.dataSync() as Float32Array);
  });
}
