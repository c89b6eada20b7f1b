import * as tf from '../tf';
import type { HostParams } from '../model/lenet5';
import type { BatchSource } from '../data/batches';
import { createRng } from '../random';
import { combine, distance, flatLossGrad, flatten, unflatten } from './flat';
import type { PathFn } from './pathEval';

/** The two curves of Garipov et al. 2018 (SPEC §9), each with one trained bend θ₁. */
export type CurveKind = 'bezier' | 'polychain';

/**
 * Coefficients (c_A, c_θ₁, c_B) of θ(t) = c_A·A + c_θ₁·θ₁ + c_B·B.
 * Bezier: (1−t)², 2t(1−t), t². Polychain A → θ₁ → B: t < ½ on the first segment.
 */
export function curveCoefficients(kind: CurveKind, t: number): [number, number, number] {
  if (kind === 'bezier') return [(1 - t) ** 2, 2 * t * (1 - t), t ** 2];
  return t < 0.5 ? [1 - 2 * t, 2 * t, 0] : [0, 2 - 2 * t, 2 * t - 1];
}

/** The curve as a path of flat models. */
export function curvePath(kind: CurveKind, a: HostParams, bend: HostParams, b: HostParams): PathFn {
  const [fa, f1, fb] = [flatten(a), flatten(bend), flatten(b)];
  return (t) => {
    const [ca, c1, cb] = curveCoefficients(kind, t);
    return combine([
      [ca, fa],
      [c1, f1],
      [cb, fb],
    ]);
  };
}

/** Length in parameter space: exact for the polychain, a 256-chord sum for the Bezier curve. */
export function curveLength(kind: CurveKind, a: HostParams, bend: HostParams, b: HostParams): number {
  if (kind === 'polychain') return distance(flatten(a), flatten(bend)) + distance(flatten(bend), flatten(b));
  const path = curvePath(kind, a, bend, b);
  let length = 0;
  let prev = path(0);
  for (let i = 1; i <= 256; i++) {
    const next = path(i / 256);
    length += distance(prev, next);
    prev = next;
  }
  return length;
}

/**
 * Garipov et al.'s learning-rate schedule as a factor of the base rate: 1 for the first half of
 * training, then linear down to 0.01 at 90 %, then 0.01.
 */
export function curveLrFactor(progress: number): number {
  if (progress <= 0.5) return 1;
  if (progress <= 0.9) return 1 - ((progress - 0.5) / 0.4) * 0.99;
  return 0.01;
}

export interface CurveTrainOptions {
  kind: CurveKind;
  /** SGD steps on θ₁ (one mini-batch and one t each). */
  steps: number;
  /** Base learning rate (default 0.01, scheduled by curveLrFactor) and heavy-ball momentum (default 0.9). */
  lr?: number;
  momentum?: number;
  /** Seed of the t draws. */
  seed?: number;
  /** Emit a progress event (one read-back) every this many steps (default 20). */
  reportEvery?: number;
  /** TF.js autodiff even where the LeNet5 kernel runs (flatLossGrad; for benchmarks and tests). */
  autodiff?: boolean;
}

/** What curve training yields: progress, then the trained bend. */
export type CurveEvent =
  | {
      type: 'step';
      /** Steps done so far, of `totalSteps`. */
      step: number;
      totalSteps: number;
      /** Mean mini-batch loss L(θ(t)) over the steps since the last event (at random t). */
      loss: number;
      /** Epochs of the batch source done. */
      epoch: number;
    }
  | { type: 'done'; bend: HostParams; steps: number };

/**
 * Trains the bend θ₁ (Garipov et al. 2018): θ₁ starts at the midpoint of A and B; each mini-batch
 * draws t ~ U(0, 1) and takes an SGD step on θ₁ for L(θ(t)). The gradient wrt θ₁ is ∂L/∂θ(t)
 * times c_θ₁(t) (flatLossGrad: the kernel on wasm, autodiff elsewhere).
 */
export async function* trainCurve(
  a: HostParams,
  b: HostParams,
  batches: BatchSource,
  opts: CurveTrainOptions,
): AsyncGenerator<CurveEvent, void, void> {
  const { kind, steps } = opts;
  const lr = opts.lr ?? 0.01;
  const mu = opts.momentum ?? 0.9;
  const every = opts.reportEvery ?? 20;
  const rng = createRng(opts.seed ?? 0);
  const fa = flatten(a);
  const fb = flatten(b);
  const A = tf.tensor1d(fa);
  const B = tf.tensor1d(fb);
  // Variables made inside tidy, so their initial tensors are freed.
  const bend = tf.tidy(() =>
    tf.variable(
      tf.tensor1d(
        combine([
          [0.5, fa],
          [0.5, fb],
        ]),
      ),
      true,
    ),
  );
  const velocity = tf.tidy(() => tf.variable(tf.zerosLike(bend), false));
  const lossSum = tf.tidy(() => tf.variable(tf.scalar(0), false));
  let since = 0;
  try {
    for (let step = 1; step <= steps; step++) {
      const [ca, c1, cb] = curveCoefficients(kind, rng.next());
      const batch = batches.next();
      tf.tidy(() => {
        const theta = tf.addN([tf.mul(A, ca), tf.mul(bend, c1), tf.mul(B, cb)]) as tf.Tensor1D;
        const { value, grad } = flatLossGrad(theta, batch, !opts.autodiff);
        const g: tf.Tensor1D = tf.mul(grad, c1); // ∂L/∂θ₁ = c_θ₁(t) · ∂L/∂θ(t)
        velocity.assign(step === 1 ? g : tf.add(tf.mul(velocity, mu), g));
        bend.assign(tf.sub(bend, tf.mul(velocity, lr * curveLrFactor((step - 1) / steps))));
        lossSum.assign(tf.add(lossSum, value));
      });
      tf.dispose([batch.x, batch.y]);
      since++;
      if (step % every === 0 || step === steps) {
        const loss = (await lossSum.data())[0] / since;
        tf.tidy(() => lossSum.assign(tf.scalar(0)));
        since = 0;
        yield { type: 'step', step, totalSteps: steps, loss, epoch: batches.epochProgress() };
      }
    }
    yield { type: 'done', bend: unflatten((await bend.data()) as Float32Array), steps };
  } finally {
    tf.dispose([A, B, bend, velocity, lossSum]);
  }
}
