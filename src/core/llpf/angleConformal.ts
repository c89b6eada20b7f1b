import * as tf from '../tf';
import { unbiasedVariance } from './varianceCorrect';

/**
 * AngleConformal (Algorithm 2): on a smaller variance sphere the same step turns the model
 * by a larger angle, so each weight tensor's learning rate shrinks with its variance:
 * lr_t = lr_base · var_now(t) / var_start(t). Biases keep lr_base (paper Algorithm 2;
 * docs/ALGORITHMS.md, "M2O: AngleConformal").
 * Rates stay on the device (no readback).
 */
export function angleConformalRates(
  P: ReadonlyMap<string, tf.Tensor>,
  startVariance: ReadonlyMap<string, tf.Scalar>,
  isWeight: (name: string) => boolean,
  lrBase: number,
): Map<string, tf.Scalar | number> {
  const rates = new Map<string, tf.Scalar | number>();
  for (const [name, t] of P) {
    if (!isWeight(name)) {
      rates.set(name, lrBase);
      continue;
    }
    rates.set(
      name,
      tf.tidy(() => tf.mul(lrBase, tf.div(unbiasedVariance(t), startVariance.get(name)!)) as tf.Scalar),
    );
  }
  return rates;
}
