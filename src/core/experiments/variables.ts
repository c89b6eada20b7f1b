import * as tf from '../tf';
import { LENET5, type HostParams, type Params } from '../model/lenet5';

/**
 * Host values as trainable variables. Inside tidy, so the initial tensors are freed once the
 * variables hold their data: `tf.variable(tf.tensor(…))` alone (as lenet5.ts's `toDevice` and
 * `cloneParams` do today) keeps both alive, one model's worth of memory per call.
 */
export const toVariables = (host: HostParams): Params =>
  new Map(LENET5.map((p) => [p.name, tf.tidy(() => tf.variable(tf.tensor(host.get(p.name)!, p.shape), true))]));

/** Host values as plain device tensors (values only read, e.g. a destination). */
export const toTensors = (host: HostParams): Map<string, tf.Tensor> =>
  new Map(LENET5.map((p) => [p.name, tf.tensor(host.get(p.name)!, p.shape)]));
