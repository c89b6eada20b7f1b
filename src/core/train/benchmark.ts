import * as tf from '../tf';
import { disposeParams, initLenet5 } from '../model/lenet5';
import { createBatchSource } from '../data/batches';
import type { MnistSplit } from '../data/mnist';
import { sgdStep } from './sgd';

/** Milliseconds of each timed LeNet5 SGD step (plain SGD, fixed-shape batches), after warm-up steps. */
export async function timeSgdSteps(
  train: MnistSplit,
  opts: { batchSize: number; warmup: number; steps: number; budgetMs?: number },
): Promise<number[]> {
  const params = initLenet5(0);
  const batches = createBatchSource(train, { batchSize: opts.batchSize, seed: 0 });
  const times: number[] = [];
  const deadline = performance.now() + (opts.budgetMs ?? Infinity);
  try {
    for (let i = 0; i < opts.warmup + opts.steps; i++) {
      const t0 = performance.now();
      const b = batches.next();
      const { loss, correct } = sgdStep(params, b, { lr: 0.01 });
      await loss.data(); // wait for the device: one readback per step
      tf.dispose([b.x, b.y, loss, correct]);
      if (i >= opts.warmup) times.push(performance.now() - t0);
      if (performance.now() > deadline && times.length > 0) break;
    }
  } finally {
    disposeParams(params);
    batches.dispose();
  }
  return times;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
