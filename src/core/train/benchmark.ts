import * as tf from '../tf';
import { disposeParams, initLenet5 } from '../model/lenet5';
import { createBatchSource, createEvalSet } from '../data/batches';
import { takeSplit, type MnistSplit } from '../data/mnist';
import { kernelEvaluate } from '../kernels/lenet5Eval';
import { evaluateOnDevice } from './evaluate';
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

/** Training images an evaluation is timed on: the demo plane's sample (src/ui/demo.ts). */
export const BENCHMARK_EVAL_IMAGES = 2000;

/** Milliseconds of each evaluation of the first `images` training images, the kernel's forward and TF.js's
 *  interleaved round by round (kernel empty where it does not run: not wasm, no SIMD). */
export async function timeEvaluations(
  train: MnistSplit,
  opts: { images: number; rounds: number },
): Promise<{ kernel: number[]; tfjs: number[] }> {
  const params = initLenet5(0);
  const set = createEvalSet(takeSplit(train, opts.images));
  const kernel: number[] = [];
  const tfjs: number[] = [];
  try {
    // One round of warm-up: the kernel lays its memory out, TF.js compiles its programs.
    for (let round = -1; round < opts.rounds; round++) {
      let t0 = performance.now();
      const viaKernel = kernelEvaluate(params, set);
      if (viaKernel && round >= 0) kernel.push(performance.now() - t0);
      t0 = performance.now();
      await evaluateOnDevice(params, set);
      if (round >= 0) tfjs.push(performance.now() - t0);
    }
  } finally {
    disposeParams(params);
    set.dispose();
  }
  return { kernel, tfjs };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
