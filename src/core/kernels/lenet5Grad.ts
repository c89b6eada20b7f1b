import * as tf from '../tf';
import { LENET5, size } from '../model/spec';
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

/** Whether the kernel can read `params`: exactly LeNet5's tensors, each a float32 of its shape. */
export function isLenet5Params(params: ReadonlyMap<string, tf.Tensor>): boolean {
  if (params.size !== LENET5.length) return false;
  return LENET5.every((p) => {
    const v = params.get(p.name);
    return !!v && v.dtype === 'float32' && tf.util.arraysEqual(v.shape, p.shape);
  });
}

/** kernelGradient of a LeNet5 parameter map (null when it is not one: isLenet5Params). */
export function kernelParamsGradient(params: ReadonlyMap<string, tf.Tensor>, batch: Batch): KernelGradient | null {
  if (!isLenet5Params(params)) return null;
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

/** A kernel gradient as device tensors keyed by parameter name, each entry times `factor(name)` (default 1). */
export function gradientTensors(
  grad: Float32Array,
  factor: (name: string) => number = () => 1,
): Map<string, tf.Tensor> {
  return new Map(
    LENET5.map((p) => {
      const at = KERNEL_OFFSETS.get(p.name)!;
      const g = grad.slice(at, at + size(p.shape));
      const c = factor(p.name);
      if (c !== 1) for (let i = 0; i < g.length; i++) g[i] *= c;
      return [p.name, tf.tensor(g, p.shape)] as const;
    }),
  );
}
