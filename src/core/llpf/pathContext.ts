import {
  createBatchSource,
  createEvalSet,
  type BatchSource,
  type BatchSourceOptions,
  type EvalSet,
} from '../data/batches';
import { randomSubset, takeSplit, type Mnist } from '../data/mnist';
import { REFERENCE_AUGMENT } from '../data/augment';
import { deriveSeed } from '../random';
import type { RunConfig } from '../config';

/** Position of a mini-batch stream, as `BatchSource.cursor()` returns it (JSON-serialisable). */
export type StreamCursor = ReturnType<BatchSource['cursor']>;

/** What the path loop and its observers read: data on the device. */
export interface PathContext {
  /** The training mini-batch stream (its cursor is part of a checkpoint). */
  batches: BatchSource;
  /** The full test set (first and last tick). */
  testFull: EvalSet;
  /** evalSubset test images drawn with the run's seed (all of them at 10,000), for the ticks in between. */
  testSubset: EvalSet;
  /** The first `trainEvalSamples` training images, no augmentation (SPEC §9's measure), or null when off. */
  trainFixed: EvalSet | null;
  /** Whether `testFull` belongs to the caller (shared between runs) rather than to this context. */
  sharedTestFull: boolean;
}

/** The one place that derives the seed of a path's mini-batch stream from the run's seed. */
export const pathBatchSeed = (seed: number): number => deriveSeed(seed, 'path-batches');

/**
 * The data of a path run. The mini-batch stream is seeded from the config's seed; a run continued
 * from a checkpoint passes the checkpoint's stream `cursor`, so it sees exactly the batches the
 * uninterrupted run would have seen. `testFull` may be passed in to share one device copy.
 * The stream follows the config's `augment`, `trainSubset` and `batchMode`; `batch` overrides them.
 */
export function createPathContext(
  mnist: Mnist,
  config: RunConfig,
  opts: { cursor?: StreamCursor; testFull?: EvalSet; batch?: Partial<BatchSourceOptions> } = {},
): PathContext {
  const stream: BatchSourceOptions = {
    augment: config.augment ? REFERENCE_AUGMENT : null,
    subset: config.trainSubset,
    semantics: config.batchMode,
    ...opts.batch,
    batchSize: config.batch,
    seed: pathBatchSeed(config.seed),
    cursor: opts.cursor,
  };
  const testFull = opts.testFull ?? createEvalSet(mnist.test);
  const whole = config.evalSubset >= mnist.test.count;
  return {
    batches: createBatchSource(mnist.train, stream),
    testFull,
    testSubset: whole ? testFull : createEvalSet(randomSubset(mnist.test, config.evalSubset, config.seed)),
    trainFixed: config.trainEvalSamples > 0 ? createEvalSet(takeSplit(mnist.train, config.trainEvalSamples)) : null,
    sharedTestFull: opts.testFull !== undefined,
  };
}

/** Frees the context's device data (not a shared test set). */
export function disposePathContext(ctx: PathContext): void {
  ctx.batches.dispose();
  if (ctx.testSubset !== ctx.testFull) ctx.testSubset.dispose();
  ctx.trainFixed?.dispose();
  if (!ctx.sharedTestFull) ctx.testFull.dispose();
}
