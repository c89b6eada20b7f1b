import * as tf from '../tf';
import type { Params } from '../model/lenet5';
import type { BatchSource, EvalSet } from '../data/batches';
import { evaluate, type Evaluation } from './evaluate';
import { disposeVelocity, sgdStep } from './sgd';
import { PAPER_ENDPOINT, type EndpointConfig } from './endpointConfig';

/** The settings the training loop itself reads (the rest of EndpointConfig builds its inputs). */
export type EndpointTrainingConfig = Pick<EndpointConfig, 'epochs' | 'lr' | 'momentum' | 'reportEvery'>;

/** Paper Table 3's loop settings (the full table: PAPER_ENDPOINT in endpointConfig.ts). */
export const PAPER_ENDPOINT_TRAINING: EndpointTrainingConfig = {
  epochs: PAPER_ENDPOINT.epochs,
  lr: PAPER_ENDPOINT.lr,
  momentum: PAPER_ENDPOINT.momentum,
  reportEvery: PAPER_ENDPOINT.reportEvery,
};

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

/** What endpoint training yields per SGD step: a report on report steps, null otherwise. */
export interface EndpointStep {
  step: number;
  totalSteps: number;
  report: EndpointProgress | null;
}

/**
 * Endpoint training (paper Table 3) as a producer of SGD steps, trained in place on `params`:
 * SGD with momentum; the loss is read back every reportEvery steps, the test set evaluated after
 * each epoch. One step runs per `next()`, so the session driver pauses and stops it between steps.
 */
export async function* endpointSteps(
  params: Params,
  batches: BatchSource,
  test: EvalSet | null,
  config: EndpointTrainingConfig,
): AsyncGenerator<EndpointStep, void, void> {
  const totalSteps = Math.round(config.epochs * batches.batchesPerEpoch);
  const velocity = new Map<string, tf.Variable>();
  let lossSum: tf.Scalar = tf.scalar(0);
  let sinceReport = 0;
  const t0 = performance.now();
  try {
    for (let step = 1; step <= totalSteps; step++) {
      const batch = batches.next();
      const { loss, correct } = sgdStep(params, batch, { lr: config.lr, momentum: config.momentum, velocity });
      tf.dispose([batch.x, batch.y, correct]);
      const summed = tf.add(lossSum, loss) as tf.Scalar;
      tf.dispose([lossSum, loss]);
      lossSum = summed;
      sinceReport++;
      const epochEnd = step % batches.batchesPerEpoch === 0 || step === totalSteps;
      let report: EndpointProgress | null = null;
      if (step % config.reportEvery === 0 || epochEnd) {
        const trainLoss = (await lossSum.data())[0] / sinceReport;
        if (!Number.isFinite(trainLoss)) throw new Error(`training loss became ${trainLoss} at step ${step}`);
        lossSum.dispose();
        lossSum = tf.scalar(0);
        sinceReport = 0;
        const epoch = step / batches.batchesPerEpoch;
        const stepsPerSecond = (step * 1000) / (performance.now() - t0);
        report = { step, totalSteps, epoch, trainLoss, stepsPerSecond };
        if (epochEnd && test) report.test = await evaluate(params, test);
      }
      yield { step, totalSteps, report };
    }
  } finally {
    lossSum.dispose();
    disposeVelocity(velocity);
  }
}

/** Trains `params` in place to the end, without a session (tests, scripts). Returns the last evaluation. */
export async function trainEndpoint(
  params: Params,
  batches: BatchSource,
  test: EvalSet | null,
  config: EndpointTrainingConfig,
  hooks: { onProgress?: (p: EndpointProgress) => void } = {},
): Promise<Evaluation | null> {
  let last: Evaluation | null = null;
  for await (const { report } of endpointSteps(params, batches, test, config)) {
    if (!report) continue;
    if (report.test) last = report.test;
    hooks.onProgress?.(report);
  }
  return last;
}
