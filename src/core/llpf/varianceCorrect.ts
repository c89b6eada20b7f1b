import * as tf from '../tf';

/** ε of the reference's VarianceCorrection (docs/ALGORITHMS.md, "VarianceCorrection"). */
export const VARIANCE_EPS = 1e-4;

/** Unbiased variance (N − 1) of all entries of a tensor, as torch.var. */
export function unbiasedVariance(t: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const n = t.size;
    const m = tf.mean(t);
    return tf.div(tf.sum(tf.square(tf.sub(t, m))), n - 1) as tf.Scalar;
  });
}

/**
 * VarianceCorrection (Algorithm 1, lines 6 and 8): rescales the spread of W about its mean so
 * its variance returns to the target v: W ← m + (W − m)·sqrt((v + ε)/(var(W) + ε)).
 * Single-element tensors are returned unchanged (their variance is undefined).
 */
export function varianceCorrect(w: tf.Tensor, targetVariance: tf.Scalar | number): tf.Tensor {
  if (w.size <= 1) return tf.clone(w);
  return tf.tidy(() => {
    const m = tf.mean(w);
    const centred = tf.sub(w, m);
    const v = tf.div(tf.sum(tf.square(centred)), w.size - 1);
    const factor = tf.sqrt(tf.div(tf.add(targetVariance, VARIANCE_EPS), tf.add(v, VARIANCE_EPS)));
    return tf.add(m, tf.mul(centred, factor));
  });
}
