import * as tf from '../tf';
import { LENET5, correctCount, forward, type HostParams } from '../model/lenet5';
import type { EvalSet } from '../data/batches';

/**
 * The 0-1 error and predictions of models on the device. Pittorino et al. 2022 study the error
 * landscape, not the loss: after canonicalisation only the argmax is meaningful (SPEC §7).
 */
export type DeviceModel = Map<string, tf.Tensor>;

/** Uploads host parameters as plain (non-trainable) tensors; dispose with `disposeModel`. */
export function upload(host: HostParams): DeviceModel {
  return new Map(LENET5.map((p) => [p.name, tf.tensor(host.get(p.name)!, p.shape)]));
}

export function disposeModel(m: DeviceModel): void {
  tf.dispose([...m.values()]);
}

/** Fraction of the set's images misclassified (top-1), one scalar read back. */
export async function errorRate(model: DeviceModel, set: EvalSet): Promise<number> {
  const hits = tf.tidy(() => tf.addN(set.chunks.map((c) => correctCount(forward(model, c.x), c.y))));
  const n = (await hits.data())[0];
  hits.dispose();
  return 1 - n / set.count;
}

/** Top-1 class of every image of the set. */
export async function predictions(model: DeviceModel, set: EvalSet): Promise<Int32Array> {
  const all = tf.tidy(() => tf.concat(set.chunks.map((c) => tf.argMax(forward(model, c.x), 1))));
  const out = Int32Array.from(await all.data());
  all.dispose();
  return out;
}

/** Function-space distance (SPEC §7): fraction of the set's images on which the argmaxes differ. */
export async function functionDistance(a: DeviceModel, b: DeviceModel, set: EvalSet): Promise<number> {
  const differ = tf.tidy(() =>
    tf.addN(
      set.chunks.map((c) =>
        tf.sum(tf.cast(tf.notEqual(tf.argMax(forward(a, c.x), 1), tf.argMax(forward(b, c.x), 1)), 'float32')),
      ),
    ),
  );
  const n = (await differ.data())[0];
  differ.dispose();
  return n / set.count;
}

/** Error of a host model (uploads, evaluates, frees). */
export async function hostErrorRate(host: HostParams, set: EvalSet): Promise<number> {
  const m = upload(host);
  try {
    return await errorRate(m, set);
  } finally {
    disposeModel(m);
  }
}
