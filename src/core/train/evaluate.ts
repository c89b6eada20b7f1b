import * as tf from '../tf';
import { correctCount, crossEntropy, forward, type Params } from '../model/lenet5';
import type { EvalSet } from '../data/batches';
import { kernelEvaluate } from '../kernels/lenet5Eval';

/** Loss and accuracy of a model on a whole evaluation set. */
export interface Evaluation {
  /** Mean cross-entropy per sample. */
  loss: number;
  /** Fraction of correct top-1 predictions, 0..1. */
  accuracy: number;
  /** How many samples were evaluated. */
  samples: number;
}

/** Loss and accuracy on the set: the LeNet5 kernel's forward pass on wasm, TF.js elsewhere (same numbers to 1e-5). */
export async function evaluate(params: Params, set: EvalSet): Promise<Evaluation> {
  return kernelEvaluate(params, set) ?? evaluateOnDevice(params, set);
}

/** TF.js's forward: sums loss and hits on the device over all chunks, then reads back two scalars. */
export async function evaluateOnDevice(params: Params, set: EvalSet): Promise<Evaluation> {
  const totals = tf.tidy(() => {
    let lossSum: tf.Tensor = tf.scalar(0);
    let hits: tf.Tensor = tf.scalar(0);
    for (const c of set.chunks) {
      const logits = forward(params, c.x);
      lossSum = tf.add(lossSum, tf.mul(crossEntropy(logits, c.y), c.x.shape[0]));
      hits = tf.add(hits, correctCount(logits, c.y));
    }
    return tf.stack([lossSum, hits]);
  });
  const [lossSum, hits] = await totals.data();
  totals.dispose();
  return { loss: lossSum / set.count, accuracy: hits / set.count, samples: set.count };
}
