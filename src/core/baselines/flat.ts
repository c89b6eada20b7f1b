import * as tf from '../tf';
import { crossEntropy, forward, LENET5, size, type HostParams } from '../model/lenet5';
import type { Batch } from '../data/batches';
import { kernelFlatGradient } from '../kernels/lenet5Grad';

/**
 * A whole model as one flat vector: every parameter in state_dict order, each in the engine's
 * layout (SPEC §9: the plane and the paths live in this one space). Dot products and norms do not
 * depend on the layout, so distances equal those of the PyTorch state_dict.
 */
export const FLAT_SIZE = LENET5.reduce((n, p) => n + size(p.shape), 0);

/** Offset of each parameter in the flat vector. */
const OFFSETS: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  let off = 0;
  for (const p of LENET5) {
    m.set(p.name, off);
    off += size(p.shape);
  }
  return m;
})();

export function flatten(host: HostParams): Float32Array {
  const out = new Float32Array(FLAT_SIZE);
  for (const p of LENET5) {
    const v = host.get(p.name);
    if (!v || v.length !== size(p.shape)) throw new Error(`parameter ${p.name} is missing or has the wrong size`);
    out.set(v, OFFSETS.get(p.name)!);
  }
  return out;
}

export function unflatten(flat: Float32Array): HostParams {
  const out: HostParams = new Map();
  for (const p of LENET5) {
    const off = OFFSETS.get(p.name)!;
    out.set(p.name, flat.slice(off, off + size(p.shape)));
  }
  return out;
}

/** The flat vector's tensors in engine shapes (differentiable: gradients flow back to `flat`). */
export function unflattenDevice(flat: tf.Tensor1D): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const p of LENET5) out.set(p.name, tf.reshape(tf.slice(flat, OFFSETS.get(p.name)!, size(p.shape)), p.shape));
  return out;
}

/**
 * The mini-batch loss L(θ) and ∂L/∂θ at a flat model θ, as device tensors (call inside `tf.tidy`): one call of
 * the LeNet5 kernel on the wasm backend (a step in a few ms, against ~65 for TF.js's gradient kernels there;
 * SPEC §8), TF.js autodiff elsewhere (or with `kernel` false). The curves' bend and AutoNEB's pivots descend on it.
 */
export function flatLossGrad(theta: tf.Tensor1D, batch: Batch, kernel = true): { value: tf.Scalar; grad: tf.Tensor1D } {
  const k = kernel ? kernelFlatGradient(theta, batch) : null;
  if (k) return { value: tf.scalar(k.loss), grad: tf.tensor1d(k.grad) };
  const { value, grad } = tf.valueAndGrad((t: tf.Tensor1D) =>
    crossEntropy(forward(unflattenDevice(t), batch.x), batch.y),
  )(theta);
  return { value: value as tf.Scalar, grad: grad as tf.Tensor1D };
}

/** Σ cᵢ·vᵢ on the host, in double precision, rounded once. */
export function combine(terms: ReadonlyArray<readonly [number, Float32Array]>): Float32Array {
  const n = terms[0][1].length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const [c, v] of terms) s += c * v[i];
    out[i] = s;
  }
  return out;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Euclidean distance ‖a − b‖. */
export function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}
