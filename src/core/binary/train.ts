import * as tf from '../tf';
import { correctCount, crossEntropy } from '../model/lenet5';
import type { BatchSource, EvalSet } from '../data/batches';
import { Adam } from '../train/adam';
import {
  BATCH_NORMS,
  BINARY_LAYERS,
  BN_MOMENTUM,
  TRAINABLE,
  binaryForward,
  type BatchStats,
  type BinaryTensors,
} from './model';

/**
 * BinaryNet training (Hubara et al. 2016) of binary LeNet5: Adam on the latent weights and the
 * batch-norm affine parameters, latent weights clipped to [−1, 1] after every step, running
 * batch-norm statistics updated as PyTorch (momentum 0.1, unbiased variance). The learning rate
 * decays exponentially from lr to lrEnd over the run.
 */
export interface BinaryTrainConfig {
  epochs: number;
  /** Adam learning rate at the start. */
  lr: number;
  /** Learning rate at the last step (exponential decay); = lr for none. */
  lrEnd: number;
  /** Read the loss back every this many steps. */
  reportEvery: number;
}

export const DEFAULT_BINARY_TRAINING: BinaryTrainConfig = { epochs: 3, lr: 0.01, lrEnd: 0.0005, reportEvery: 100 };

export interface BinaryProgress {
  step: number;
  totalSteps: number;
  epoch: number;
  /** Mean mini-batch cross-entropy since the last report. */
  trainLoss: number;
  /** Mean mini-batch accuracy since the last report (training mode), 0..1. */
  trainAccuracy: number;
  /** Test evaluation at each epoch end, when a test set was given. */
  test?: { accuracy: number; loss: number };
}

/** Trains the model's variables in place (create it with `uploadBinary(host, true)`). */
export async function trainBinary(
  m: BinaryTensors,
  batches: BatchSource,
  test: EvalSet | null,
  config: BinaryTrainConfig,
  hooks: { onProgress?: (p: BinaryProgress) => void; signal?: AbortSignal } = {},
): Promise<BinaryProgress | null> {
  const totalSteps = Math.round(config.epochs * batches.batchesPerEpoch);
  const adam = new Adam({ lr: config.lr });
  const decay = totalSteps > 1 ? (config.lrEnd / config.lr) ** (1 / (totalSteps - 1)) : 1;
  const vars = new Map(TRAINABLE.map((n) => [n, m.get(n) as tf.Variable]));
  let sum: tf.Tensor = tf.zeros([2]);
  let since = 0;
  let last: BinaryProgress | null = null;
  try {
    for (let step = 1; step <= totalSteps; step++) {
      if (hooks.signal?.aborted) throw new DOMException('training stopped', 'AbortError');
      adam.opts.lr = config.lr * decay ** (step - 1);
      const batch = batches.next();
      const r = binaryStep(m, vars, batch, adam);
      const s = tf.add(sum, r);
      tf.dispose([batch.x, batch.y, r, sum]);
      sum = s;
      since++;
      const epochEnd = step % batches.batchesPerEpoch === 0 || step === totalSteps;
      if (step % config.reportEvery === 0 || epochEnd) {
        const [loss, hits] = await sum.data();
        if (!Number.isFinite(loss)) throw new Error(`binary training loss became ${loss} at step ${step}`);
        const t = epochEnd && test ? await evaluateBinary(m, test) : undefined;
        last = {
          step,
          totalSteps,
          epoch: step / batches.batchesPerEpoch,
          trainLoss: loss / since,
          trainAccuracy: hits / (since * batches.batchSize),
          test: t,
        };
        hooks.onProgress?.(last);
        sum.dispose();
        sum = tf.zeros([2]);
        since = 0;
      }
    }
  } finally {
    sum.dispose();
    adam.dispose();
  }
  return last;
}

/** Positions per channel of the convolutional batch norms (after max-pool: 14×14 and 5×5). */
const SPATIAL: Record<string, number> = { bn1: 196, bn2: 25 };

/** One step: gradients through the STE, Adam, clip, running statistics. Returns [loss, correct]. */
function binaryStep(
  m: BinaryTensors,
  vars: Map<string, tf.Variable>,
  batch: { x: tf.Tensor4D; y: tf.Tensor2D },
  adam: Adam,
): tf.Tensor {
  const stats: BatchStats = new Map();
  const n = batch.x.shape[0];
  return tf.tidy(() => {
    let correct: tf.Scalar | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const logits = binaryForward(m, batch.x, stats);
      correct = tf.keep(correctCount(logits, batch.y));
      return crossEntropy(logits, batch.y);
    }, [...vars.values()]);
    adam.apply(vars, new Map([...vars].map(([name, v]) => [name, grads[v.name]])));
    for (const l of BINARY_LAYERS) {
      const w = vars.get(`${l}.weight`)!;
      w.assign(tf.clipByValue(w, -1, 1));
    }
    for (const [b] of BATCH_NORMS) {
      const s = stats.get(b)!;
      const count = n * (SPATIAL[b] ?? 1); // values per channel in the batch
      const rm = m.get(`${b}.running_mean`) as tf.Variable;
      const rv = m.get(`${b}.running_var`) as tf.Variable;
      rm.assign(tf.add(tf.mul(rm, 1 - BN_MOMENTUM), tf.mul(s.mean, BN_MOMENTUM)));
      rv.assign(tf.add(tf.mul(rv, 1 - BN_MOMENTUM), tf.mul(s.variance, (BN_MOMENTUM * count) / (count - 1))));
      tf.dispose([s.mean, s.variance]);
    }
    const out = tf.stack([value, correct!]);
    correct!.dispose(); // kept out of variableGrads' scope, so freed by hand
    return out;
  });
}

/** Test loss and accuracy in evaluation mode (running batch-norm statistics). */
export async function evaluateBinary(m: BinaryTensors, set: EvalSet): Promise<{ accuracy: number; loss: number }> {
  const totals = tf.tidy(() => {
    const parts = set.chunks.map((c) => {
      const logits = binaryForward(m, c.x);
      return tf.stack([tf.mul(crossEntropy(logits, c.y), c.x.shape[0]), correctCount(logits, c.y)]);
    });
    return tf.addN(parts);
  });
  const [loss, hits] = await totals.data();
  totals.dispose();
  return { accuracy: hits / set.count, loss: loss / set.count };
}
