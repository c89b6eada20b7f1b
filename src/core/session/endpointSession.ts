import { freeInitialCopies } from '../llpf/pathState';
import { disposeParams, initLenet5, type Params } from '../model/lenet5';
import { createBatchSource, createEvalSet, type EvalSet } from '../data/batches';
import { takeSplit, type Mnist } from '../data/mnist';
import { REFERENCE_AUGMENT } from '../data/augment';
import { endpointSteps, type EndpointProgress, type EndpointStep } from '../train/endpoint';
import { endpointBatchSeed, type EndpointConfig } from '../train/endpointConfig';
import { evaluate, type Evaluation } from '../train/evaluate';
import { Session } from './session';
import type { SessionControl } from './control';

/** What an endpoint-training session emits besides the session's own events. */
export type EndpointEvent = { type: 'report'; report: EndpointProgress };

export interface EndpointSession {
  session: Session<EndpointStep, EndpointEvent>;
  /** The model being trained (owned by the session until dispose). */
  params: Params;
  /** The test set evaluated after each epoch. */
  test: EvalSet;
  /** Test loss and accuracy at the end (the last epoch's, or a fresh evaluation). */
  finalEvaluation(): Promise<Evaluation>;
  dispose(): void;
}

/**
 * Endpoint training (paper Table 3) hosted by the session driver: init from the seed, the seeded
 * (optionally augmented) mini-batch stream, SGD with momentum. Used by the CLI and the worker.
 */
export function createEndpointSession(spec: {
  config: EndpointConfig;
  mnist: Mnist;
  /** A shared device copy of the full test set, used when testSamples covers it. */
  testFull?: EvalSet;
  control?: SessionControl;
  yieldToHost?: () => Promise<void>;
}): EndpointSession {
  const { config, mnist } = spec;
  const sharedTest = spec.testFull && config.testSamples >= mnist.test.count ? spec.testFull : null;
  const test = sharedTest ?? createEvalSet(takeSplit(mnist.test, config.testSamples));
  const params = freeInitialCopies(() => initLenet5(config.seed));
  const batches = createBatchSource(mnist.train, {
    batchSize: config.batch,
    seed: endpointBatchSeed(config.seed),
    augment: config.augment ? REFERENCE_AUGMENT : null,
  });
  const totalSteps = Math.round(config.epochs * batches.batchesPerEpoch);
  const session = new Session<EndpointStep, EndpointEvent>({
    producer: endpointSteps(params, batches, test, config),
    position: (s) => s.step,
    total: totalSteps,
    control: spec.control,
    yieldToHost: spec.yieldToHost,
  });
  let last: Evaluation | null = null;
  session.observe((s, emit) => {
    if (!s.report) return;
    if (s.report.test) last = s.report.test;
    emit({ type: 'report', report: s.report });
  });
  return {
    session,
    params,
    test,
    finalEvaluation: async () => last ?? evaluate(params, test),
    dispose: () => {
      disposeParams(params);
      batches.dispose();
      if (!sharedTest) test.dispose();
    },
  };
}
