import * as tf from '../tf';
import { createRng, deriveSeed } from '../random';
import { LENET5 } from '../model/spec';

/**
 * Binary LeNet5 (SPEC §7; Pittorino et al. 2022, §6; BinaryNet, Hubara et al. 2016): the LeNet5
 * shapes with ±1 weights and sign activations. Each layer: conv/linear with sign(W) (no bias) →
 * [max-pool 2 for the convs] → real batch norm → sign; the last layer (fc3 → bn5) stays real: its
 * batch-normalised output is the logits. Training keeps latent real weights in [−1, 1] and passes
 * gradients straight through the signs (STE: ∂sign(x)/∂x := 1 for |x| ≤ 1, else 0).
 */
export const BINARY_LAYERS = ['conv1', 'conv2', 'fc1', 'fc2', 'fc3'] as const;
/** Batch-norm layer after each of BINARY_LAYERS, with its width. */
export const BATCH_NORMS = [
  ['bn1', 6],
  ['bn2', 16],
  ['bn3', 120],
  ['bn4', 84],
  ['bn5', 10],
] as const;
export const BN_FIELDS = ['weight', 'bias', 'running_mean', 'running_var'] as const;
/** PyTorch BatchNorm defaults. */
export const BN_EPS = 1e-5;
export const BN_MOMENTUM = 0.1;

/** Binary model tensors, keyed by PyTorch-style name (`conv1.weight`, `bn1.running_mean`, …). */
export type BinaryTensors = Map<string, tf.Tensor>;
export type BinaryHost = Map<string, Float32Array>;

export const weightSpec = (layer: string) => LENET5.find((p) => p.name === `${layer}.weight`)!;

/** Names of the trainable tensors: latent weights and batch-norm affine parameters. */
export const TRAINABLE = [
  ...BINARY_LAYERS.map((l) => `${l}.weight`),
  ...BATCH_NORMS.flatMap(([b]) => [`${b}.weight`, `${b}.bias`]),
];

/** Seeded init: latent weights Xavier-uniform (SPEC §2 bounds), γ = 1, β = 0, running mean 0, var 1. */
export function initBinaryHost(seed: number): BinaryHost {
  const rng = createRng(deriveSeed(seed, 'binary-init'));
  const out: BinaryHost = new Map();
  for (const l of BINARY_LAYERS) {
    const p = weightSpec(l);
    const bound = Math.sqrt(6 / (p.fanIn + p.fanOut));
    out.set(
      p.name,
      Float32Array.from({ length: p.shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-bound, bound)),
    );
  }
  for (const [b, n] of BATCH_NORMS) {
    out.set(`${b}.weight`, new Float32Array(n).fill(1));
    out.set(`${b}.bias`, new Float32Array(n));
    out.set(`${b}.running_mean`, new Float32Array(n));
    out.set(`${b}.running_var`, new Float32Array(n).fill(1));
  }
  return out;
}

export function shapeOf(name: string): number[] {
  const [layer] = name.split('.');
  if (layer.startsWith('bn')) return [BATCH_NORMS.find(([b]) => b === layer)![1]];
  return weightSpec(layer).shape;
}

/** Uploads host tensors; trainable ones as variables when `trainable`. */
export function uploadBinary(host: BinaryHost, trainable = false): BinaryTensors {
  const out: BinaryTensors = new Map();
  for (const [n, v] of host) {
    const t = tf.tensor(v, shapeOf(n));
    out.set(n, trainable ? tf.variable(t, TRAINABLE.includes(n), undefined, 'float32') : t);
    if (trainable) t.dispose();
  }
  return out;
}

export async function downloadBinary(m: BinaryTensors): Promise<BinaryHost> {
  const out: BinaryHost = new Map();
  for (const [n, t] of m) out.set(n, Float32Array.from(await t.data()));
  return out;
}

/** sign with the straight-through estimator (BinaryNet): forward ±1 (sign(0) = +1), backward 1_{|x|≤1}. */
export const signSte = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([x]);
  return {
    value: tf.where(tf.greaterEqual(x, 0), tf.onesLike(x), tf.neg(tf.onesLike(x))),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.cast(tf.lessEqual(tf.abs(saved[0]), 1), 'float32')),
  };
}) as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;

/** Batch statistics of one forward pass in training mode (to update the running averages). */
export type BatchStats = Map<string, { mean: tf.Tensor; variance: tf.Tensor }>;

/**
 * Logits (batch × 10). With `stats` (training mode) each batch norm uses the batch's mean and
 * (biased) variance and records them in `stats`; without it, the running averages (evaluation).
 */
export function binaryForward(m: BinaryTensors, x: tf.Tensor4D, stats?: BatchStats): tf.Tensor2D {
  const w = (l: string) => signSte(m.get(`${l}.weight`)!);
  const bn = (name: string, h: tf.Tensor, axes: number[]) => {
    let mean = m.get(`${name}.running_mean`)!;
    let variance = m.get(`${name}.running_var`)!;
    if (stats) {
      ({ mean, variance } = tf.moments(h, axes));
      stats.set(name, { mean: tf.keep(mean), variance: tf.keep(variance) });
    }
    const norm = tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, BN_EPS)));
    return tf.add(tf.mul(norm, m.get(`${name}.weight`)!), m.get(`${name}.bias`)!);
  };
  let h: tf.Tensor = tf.conv2d(x, w('conv1') as tf.Tensor4D, 1, 2);
  h = signSte(bn('bn1', tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid'), [0, 1, 2]));
  h = tf.conv2d(h as tf.Tensor4D, w('conv2') as tf.Tensor4D, 1, 'valid');
  h = signSte(bn('bn2', tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid'), [0, 1, 2]));
  h = tf.reshape(h, [x.shape[0], 400]);
  h = signSte(bn('bn3', tf.matMul(h as tf.Tensor2D, w('fc1') as tf.Tensor2D), [0]));
  h = signSte(bn('bn4', tf.matMul(h as tf.Tensor2D, w('fc2') as tf.Tensor2D), [0]));
  return bn('bn5', tf.matMul(h as tf.Tensor2D, w('fc3') as tf.Tensor2D), [0]) as tf.Tensor2D;
}

/** The ±1 weights of a host model (latent weights binarised; batch-norm tensors unchanged). */
export function binarize(host: BinaryHost): BinaryHost {
  return new Map(
    [...host].map(([n, v]) => [
      n,
      BINARY_LAYERS.some((l) => n === `${l}.weight`) ? v.map((x) => (x >= 0 ? 1 : -1)) : v.slice(),
    ]),
  );
}
