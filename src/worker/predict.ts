import * as tf from '../core/tf';
import { MNIST_MEAN, MNIST_STD } from '../core/data/mnist';
import { forward, LENET5, type HostParams } from '../core/model/lenet5';
import type { ModelSlots } from './models';
import type { SnapshotTap } from './plane';
import type { FromWorker, PredictResult, PredictTarget, ToWorker } from './protocol';

type PredictMsg = Extract<ToWorker, { type: 'predict' }>;

/** Softmax probabilities of the digits 0..9 for one 28×28 image of grey levels in [0, 1]. */
export async function predictDigit(params: HostParams, image: Float32Array): Promise<number[]> {
  const probabilities = tf.tidy(() => {
    const device = new Map(LENET5.map((p) => [p.name, tf.tensor(params.get(p.name)!, p.shape)]));
    // The reference's normalisation (SPEC §2): (x − mean)/std with x = grey level / 255.
    const x = tf.div(tf.sub(tf.tensor4d(image, [1, 28, 28, 1]), MNIST_MEAN), MNIST_STD) as tf.Tensor4D;
    return tf.softmax(forward(device, x));
  });
  const values = await probabilities.data();
  probabilities.dispose();
  return Array.from(values);
}

/**
 * Predictions of the path scrubber's canvas (issue #13): model A, model B, or the last LLPF path's
 * snapshot nearest to a tick (held by the SnapshotTap). Not a job: it runs between the running
 * job's steps and changes nothing.
 */
export class Predictor {
  constructor(
    private readonly post: (msg: FromWorker) => void,
    private readonly models: ModelSlots,
    private readonly tap: SnapshotTap,
  ) {}

  async run(msg: PredictMsg): Promise<void> {
    const results: PredictResult[] = [];
    for (const target of msg.targets) results.push(await this.one(target, msg.image, msg.pathRunId));
    this.post({ v: 1, type: 'prediction', requestId: msg.requestId, results });
  }

  private async one(target: PredictTarget, image: Float32Array, pathRunId: string | null): Promise<PredictResult> {
    if (target === 'A' || target === 'B') {
      const model = this.models.get(target);
      if (!model) return { target, tick: null, probabilities: null, missing: `model ${target} is not loaded` };
      return { target, tick: null, probabilities: await predictDigit(model.params, image) };
    }
    const { ticks, params } = this.tap;
    if (!ticks.length) return { target, tick: null, probabilities: null, missing: 'no path snapshots yet' };
    if (pathRunId !== this.tap.runId) {
      const missing = 'this path’s snapshots are not in the worker (it keeps those of the last path built here)';
      return { target, tick: null, probabilities: null, missing };
    }
    let best = 0;
    for (let i = 1; i < ticks.length; i++) if (Math.abs(ticks[i] - target) < Math.abs(ticks[best] - target)) best = i;
    return { target, tick: ticks[best], probabilities: await predictDigit(params[best], image) };
  }
}
