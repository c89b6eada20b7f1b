import * as tf from '../tf';
import { createRng, deriveSeed } from '../random';
import { LENET5, size } from './spec';

export * from './spec';

/** Parameter values on the host, engine layout, keyed by PyTorch name. */
export type HostParams = Map<string, Float32Array>;

/** The model's parameters on the device, in state_dict order. */
export type Params = Map<string, tf.Variable>;

/** Seeded Xavier-uniform weights, bound sqrt(6/(fan_in+fan_out)); zero biases. Same seed, same model, any host. */
export function initLenet5Host(seed: number): HostParams {
  const rng = createRng(deriveSeed(seed, 'init'));
  const out: HostParams = new Map();
  for (const p of LENET5) {
    const v = new Float32Array(size(p.shape));
    if (p.kind === 'weight') {
      const bound = Math.sqrt(6 / (p.fanIn + p.fanOut));
      for (let i = 0; i < v.length; i++) v[i] = rng.uniform(-bound, bound);
    }
    out.set(p.name, v);
  }
  return out;
}

/** Uploads host values as trainable variables. */
export function toDevice(host: HostParams): Params {
  const params: Params = new Map();
  for (const p of LENET5) {
    const v = host.get(p.name);
    if (!v) throw new Error(`missing parameter ${p.name}`);
    // tidy frees the upload once the variable holds its own copy.
    params.set(
      p.name,
      tf.tidy(() => tf.variable(tf.tensor(v, p.shape), true, undefined, 'float32')),
    );
  }
  return params;
}

/** Reads every parameter back (one await per tensor; call rarely). */
export async function toHost(params: Params): Promise<HostParams> {
  const out: HostParams = new Map();
  for (const [name, v] of params) out.set(name, (await v.data()) as Float32Array);
  return out;
}

export function disposeParams(params: Params): void {
  for (const v of params.values()) v.dispose();
}

/** A fresh trainable copy on the device. */
export function cloneParams(params: Params): Params {
  const out: Params = new Map();
  for (const [name, v] of params)
    out.set(
      name,
      tf.tidy(() => tf.variable(tf.clone(v), true, undefined, 'float32')),
    );
  return out;
}

export function initLenet5(seed: number): Params {
  return toDevice(initLenet5Host(seed));
}

/** Logits for a batch of normalised images (batch × 28 × 28 × 1) → batch × 10. */
export function forward(params: Params | Map<string, tf.Tensor>, x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const p = (n: string) => params.get(n)!;
    let h: tf.Tensor4D = tf.fused.conv2d({
      x,
      filter: p('conv1.weight') as tf.Tensor4D,
      strides: 1,
      pad: 2,
      bias: p('conv1.bias'),
      activation: 'relu',
    });
    h = tf.maxPool(h, 2, 2, 'valid');
    h = tf.fused.conv2d({
      x: h,
      filter: p('conv2.weight') as tf.Tensor4D,
      strides: 1,
      pad: 'valid',
      bias: p('conv2.bias'),
      activation: 'relu',
    });
    h = tf.maxPool(h, 2, 2, 'valid');
    // Flatten in H, W, C order; the PyTorch C, H, W order is restored in fc1's layout at I/O.
    const flat = tf.reshape(h, [x.shape[0], 400]) as tf.Tensor2D;
    const f1 = tf.fused.matMul({ a: flat, b: p('fc1.weight') as tf.Tensor2D, bias: p('fc1.bias'), activation: 'relu' });
    const f2 = tf.fused.matMul({ a: f1, b: p('fc2.weight') as tf.Tensor2D, bias: p('fc2.bias'), activation: 'relu' });
    return tf.fused.matMul({ a: f2, b: p('fc3.weight') as tf.Tensor2D, bias: p('fc3.bias') }) as tf.Tensor2D;
  });
}

/** Mean softmax cross-entropy of logits against one-hot labels (PyTorch's CrossEntropyLoss). */
export function crossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar);
}

/** Number of correct top-1 predictions in the batch (a scalar on the device). */
export function correctCount(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(oneHot, 1)), 'float32')) as tf.Scalar);
}
