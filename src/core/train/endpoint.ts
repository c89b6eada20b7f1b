import * as tf from '../tf';
import type { Params } from '../model/lenet5';
import type { BatchSource, EvalSet } from '../data/batches';
import { evaluate, type Evaluation } from './evaluate';
import { disposeVelocity, sgdStep } from './sgd';

/** Endpoint training (paper Table 3): SGD with momentum, to a near-zero-loss minimum. */
export interface EndpointTrainingConfig {
  epochs: number;
  /** Learning rate (paper: 0.01). */
  lr: number;
  /** Momentum (paper: 0.9). */
  momentum: number;
  /** Read the loss back every this many steps for progress (reads are syncs; SPEC §8). */
  reportEvery: number;
}

export const PAPER_ENDPOINT_TRAINING: EndpointTrainingConfig = { epochs: 20, lr: 0.01, momentum: 0.9, reportEvery: 50 };

export interface EndpointProgress {
  step: number;
  totalSteps: number;
  /** Epochs done, fractional. */
  epoch: number;
  /** Mean mini-batch loss over the steps since the last report. */
  trainLoss: number;
  /** Set at the end of each epoch. */
  test?: Evaluation;
  /** Training steps per second since the start. */
  stepsPerSecond: number;
}

export interface EndpointHooks {
  onProgress?: (p: EndpointProgress) => void;
  /** Aborts between steps. */
  signal?: AbortSignal;
  /** Pause point: awaited between steps (resolve to continue). */
  gate?: () => Promise<void>;
}

/** Trains `params` in place; evaluates on `test` after each epoch. Returns the final evaluation. */
export async function trainEndpoint(
  params: Params,
  batches: BatchSource,
  test: EvalSet | null,
  config: EndpointTrainingConfig,
  hooks: EndpointHooks = {},
): Promise<Evaluation | null> {
  const totalSteps = Math.round(config.epochs * batches.batchesPerEpoch);
  const velocity = new Map<string, tf.Variable>();
  let lossSum: tf.Scalar = tf.scalar(0);
  let sinceReport = 0;
  let last: Evaluation | null = null;
  const t0 = performance.now();
  try {
    for (let step = 1; step <= totalSteps; step++) {
      if (hooks.signal?.aborted) throw new DOMException('training stopped', 'AbortError');
      if (hooks.gate) await hooks.gate();
      const batch = batches.next();
      const { loss, correct } = sgdStep(params, batch, { lr: config.lr, momentum: config.momentum, velocity });
      tf.dispose([batch.x, batch.y, correct]);
      const summed = tf.add(lossSum, loss) as tf.Scalar;
      tf.dispose([lossSum, loss]);
      lossSum = summed;
      sinceReport++;
      const epochEnd = step % batches.batchesPerEpoch === 0 || step === totalSteps;
      if (step % config.reportEvery === 0 || epochEnd) {
        const trainLoss = (await lossSum.data())[0] / sinceReport;
        if (!Number.isFinite(trainLoss)) throw new Error(`training loss became ${trainLoss} at step ${step}`);
        lossSum.dispose();
        lossSum = tf.scalar(0);
        sinceReport = 0;
        if (epochEnd && test) last = await evaluate(params, test);
        hooks.onProgress?.({
          step,
          totalSteps,
          epoch: step / batches.batchesPerEpoch,
          trainLoss,
          test: epochEnd && test ? last! : undefined,
          stepsPerSecond: (step * 1000) / (performance.now() - t0),
        });
      }
    }
  } finally {
    lossSum.dispose();
    disposeVelocity(velocity);
  }
  return last;
}
