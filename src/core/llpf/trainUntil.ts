import * as tf from '../tf';
import type { Params } from '../model/lenet5';
import type { BatchSource } from '../data/batches';
import { sgdStep } from '../train/sgd';

export interface TrainUntilOptions {
  /** At least this many steps; also the moving-average window. */
  roundsMin: number;
  /** At most this many steps (0: none). */
  roundsMax: number;
  /** Stop once the moving average of the last roundsMin losses is ≤ this. */
  threshold: number;
  lr: number | ReadonlyMap<string, number | tf.Scalar>;
  trainable?: ReadonlySet<string>;
}

export interface TrainUntilResult {
  /** SGD steps taken. */
  rounds: number;
  /** Moving average of the last min(roundsMin, rounds) mini-batch losses (NaN when no step ran). */
  movingAverageLoss: number;
  /** Mean mini-batch accuracy over all steps of this call (NaN when no step ran). */
  accuracy: number;
}

/**
 * Train r rounds (paper Algorithm 1, line 7; docs/ALGORITHMS.md, "Training and its stop rule"):
 * plain SGD until at least roundsMin steps are done and the moving average of the last roundsMin
 * mini-batch losses is ≤ threshold, or roundsMax.
 * Reads back nothing until the moving average can decide, then one scalar per step.
 */
export async function trainUntilThreshold(
  params: Params,
  batches: BatchSource,
  opts: TrainUntilOptions,
): Promise<TrainUntilResult> {
  const window = Math.max(1, opts.roundsMin);
  const recent: tf.Scalar[] = [];
  let correctSum: tf.Scalar = tf.scalar(0);
  let rounds = 0;
  let movingAverageLoss = NaN;
  try {
    while (rounds < opts.roundsMax) {
      const batch = batches.next();
      const { loss, correct } = sgdStep(params, batch, { lr: opts.lr, trainable: opts.trainable });
      tf.dispose([batch.x, batch.y]);
      const c = tf.add(correctSum, correct) as tf.Scalar;
      tf.dispose([correctSum, correct]);
      correctSum = c;
      recent.push(loss);
      if (recent.length > window) recent.shift()!.dispose();
      rounds++;
      const mustDecide = rounds >= opts.roundsMin && rounds < opts.roundsMax;
      if (mustDecide) {
        movingAverageLoss = await readMean(recent);
        if (!(movingAverageLoss > opts.threshold)) break; // ≤ threshold, or NaN (caught by the caller)
      }
    }
    if (rounds === 0) return { rounds, movingAverageLoss: NaN, accuracy: NaN };
    // One readback for both numbers.
    const packed = tf.tidy(() => tf.stack([tf.mean(tf.stack(recent)), correctSum]));
    const [ma, hits] = await packed.data();
    packed.dispose();
    return { rounds, movingAverageLoss: ma, accuracy: hits / (rounds * batches.batchSize) };
  } finally {
    tf.dispose(recent);
    correctSum.dispose();
  }
}

async function readMean(ts: tf.Scalar[]): Promise<number> {
  const m = tf.tidy(() => tf.mean(tf.stack(ts)));
  const v = (await m.data())[0];
  m.dispose();
  return v;
}
