import * as tf from '../tf';
import { correctCount, crossEntropy, forward, type Params } from '../model/lenet5';
import { gradientTensors, kernelParamsGradient } from '../kernels/lenet5Grad';
import type { Batch, BatchSource } from '../data/batches';
import { createOptimizer, type Optimizer, type OptimizerSpec } from './optimizers';

/**
 * Endpoint training with a chosen optimiser (SGD or Adam), to sample minimisers of different
 * flatness (Pittorino et al. 2022, §5). The batch size is the batch source's.
 */
export interface TrainModelConfig {
  optimizer: OptimizerSpec;
  epochs: number;
  /** Read the loss back every this many steps (readbacks are syncs; SPEC §8). */
  reportEvery?: number;
}

export interface TrainProgress {
  step: number;
  totalSteps: number;
  /** Epochs done, fractional. */
  epoch: number;
  /** Mean mini-batch cross-entropy since the last report. */
  trainLoss: number;
  /** Mean mini-batch accuracy since the last report, 0..1. */
  trainAccuracy: number;
}

export interface TrainHooks {
  onProgress?: (p: TrainProgress) => void;
  signal?: AbortSignal;
}

/**
 * One optimiser step on a mini-batch; returns [loss, correct] on the device (caller disposes). The gradients come
 * from the LeNet5 kernel on the wasm backend (kernelParamsGradient; a step in a few ms, against ~65 for TF.js's
 * gradient kernels there), from autodiff elsewhere.
 */
export function optimizerStep(params: Params, batch: Batch, opt: Optimizer): tf.Tensor1D {
  const names = [...params.keys()];
  const k = kernelParamsGradient(params, batch);
  if (k)
    return tf.tidy(() => {
      opt.apply(params, gradientTensors(k.grad));
      return tf.tensor1d([k.loss, k.correct]);
    });
  return tf.tidy(() => {
    let correct: tf.Scalar | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const logits = forward(params, batch.x);
      correct = tf.keep(correctCount(logits, batch.y));
      return crossEntropy(logits, batch.y);
    }, [...params.values()]);
    opt.apply(params, new Map(names.map((n) => [n, grads[params.get(n)!.name]])));
    const out = tf.stack([value, correct!]) as tf.Tensor1D;
    correct!.dispose(); // kept out of variableGrads' scope, so freed by hand
    return out;
  });
}

/** Trains `params` in place for config.epochs epochs of the batch source. */
export async function trainModel(
  params: Params,
  batches: BatchSource,
  config: TrainModelConfig,
  hooks: TrainHooks = {},
) {
  const totalSteps = Math.round(config.epochs * batches.batchesPerEpoch);
  const every = config.reportEvery ?? 50;
  const opt = createOptimizer(config.optimizer);
  let sum: tf.Tensor1D = tf.zeros([2]);
  let since = 0;
  let last: TrainProgress | null = null;
  try {
    for (let step = 1; step <= totalSteps; step++) {
      if (hooks.signal?.aborted) throw new DOMException('training stopped', 'AbortError');
      const batch = batches.next();
      const r = optimizerStep(params, batch, opt);
      const s = tf.add(sum, r) as tf.Tensor1D;
      tf.dispose([batch.x, batch.y, r, sum]);
      sum = s;
      since++;
      if (step % every === 0 || step === totalSteps) {
        const [loss, hits] = await sum.data();
        if (!Number.isFinite(loss)) throw new Error(`training loss became ${loss / since} at step ${step}`);
        last = {
          step,
          totalSteps,
          epoch: step / batches.batchesPerEpoch,
          trainLoss: loss / since,
          trainAccuracy: hits / (since * batches.batchSize),
        };
        hooks.onProgress?.(last);
        sum.dispose();
        sum = tf.zeros([2]);
        since = 0;
      }
    }
  } finally {
    sum.dispose();
    opt.dispose();
  }
  return last;
}
