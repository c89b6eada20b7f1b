import * as tf from '../tf';
import { LENET5, disposeParams, type HostParams, type Params } from '../model/lenet5';
import { createEvalSet, type EvalSet } from '../data/batches';
import { takeSplit, type Mnist } from '../data/mnist';
import { evaluate, type Evaluation } from '../train/evaluate';
import { combine, flatten, unflatten } from './flat';

/** A path through parameter space: the flat model (flat.ts) at position t ∈ [0, 1]. */
export type PathFn = (t: number) => Float32Array;

/** Loss and accuracy along a path at evenly spaced t (the `lowloss interpolate --json` shape, issue #13). */
export interface LossCurve {
  /** Positions, 0 to 1 inclusive. */
  t: number[];
  /** Mean cross-entropy on the fixed train subset (first 10,000 training images, no augmentation). */
  trainLoss: number[];
  trainAccuracy: number[];
  /** Mean cross-entropy on all 10,000 test images (empty when no test set was given). */
  testLoss: number[];
  testAccuracy: number[];
  /** max_t L(t) − [(1−t)L(0) + t·L(1)] on the train loss (SPEC §9). */
  barrier: number;
}

/** The data a baseline is evaluated on, on the device. */
export interface BaselineSets {
  /** The fixed train subset (SPEC §9), no augmentation. */
  train: EvalSet;
  /** All test images, or null to skip test metrics. */
  test: EvalSet | null;
  dispose(): void;
}

/** Number of training images the barrier is measured on (issue #13). */
export const BARRIER_TRAIN_IMAGES = 10000;

export function createBaselineSets(mnist: Mnist, trainCount = BARRIER_TRAIN_IMAGES, withTest = true): BaselineSets {
  const train = createEvalSet(takeSplit(mnist.train, trainCount));
  const test = withTest ? createEvalSet(mnist.test) : null;
  return { train, test, dispose: () => [train, test].forEach((s) => s?.dispose()) };
}

/** What evaluating a path yields: one event per position, then the whole curve. */
export type PathEvalEvent =
  | { type: 'point'; index: number; total: number; t: number; train: Evaluation; test: Evaluation | null }
  | { type: 'done'; curve: LossCurve };

/** n positions evenly spaced over [0, 1], both ends included. */
export function evenlySpaced(n: number): number[] {
  if (!Number.isInteger(n) || n < 2) throw new Error(`need at least 2 points, got ${n}`);
  return Array.from({ length: n }, (_, i) => i / (n - 1));
}

/** Barrier of SPEC §9: the largest excess of L(t) over the chord between the two ends. */
export function barrierOf(t: readonly number[], loss: readonly number[]): number {
  const last = loss.length - 1;
  let worst = -Infinity;
  for (let i = 0; i <= last; i++) worst = Math.max(worst, loss[i] - ((1 - t[i]) * loss[0] + t[i] * loss[last]));
  return worst;
}

/** A device copy of a model whose values are replaced point by point (one set of variables). */
export class Probe {
  readonly params: Params;
  constructor(start: HostParams) {
    // Each variable is made inside tidy so its initial tensor is freed (toDevice leaves it tracked).
    this.params = new Map(
      LENET5.map((p) => [p.name, tf.tidy(() => tf.variable(tf.tensor(start.get(p.name)!, p.shape)))]),
    );
  }
  set(host: HostParams): void {
    tf.tidy(() => {
      for (const p of LENET5) this.params.get(p.name)!.assign(tf.tensor(host.get(p.name)!, p.shape));
    });
  }
  dispose(): void {
    disposeParams(this.params);
  }
}

/** Evaluates a path at the given positions (a generator: the host reads one point at a time). */
export async function* evaluatePath(
  path: PathFn,
  ts: readonly number[],
  sets: BaselineSets,
): AsyncGenerator<PathEvalEvent, void, void> {
  const curve: LossCurve = {
    t: [...ts],
    trainLoss: [],
    trainAccuracy: [],
    testLoss: [],
    testAccuracy: [],
    barrier: NaN,
  };
  const probe = new Probe(unflatten(path(ts[0])));
  try {
    for (let i = 0; i < ts.length; i++) {
      if (i > 0) probe.set(unflatten(path(ts[i])));
      const train = await evaluate(probe.params, sets.train);
      const test = sets.test ? await evaluate(probe.params, sets.test) : null;
      curve.trainLoss.push(train.loss);
      curve.trainAccuracy.push(train.accuracy);
      if (test) {
        curve.testLoss.push(test.loss);
        curve.testAccuracy.push(test.accuracy);
      }
      yield { type: 'point', index: i, total: ts.length, t: ts[i], train, test };
    }
  } finally {
    probe.dispose();
  }
  curve.barrier = barrierOf(curve.t, curve.trainLoss);
  yield { type: 'done', curve };
}

/** θ(t) = (1−t)·A + t·B (SPEC §9). */
export function linePath(a: HostParams, b: HostParams): PathFn {
  const fa = flatten(a);
  const fb = flatten(b);
  return (t) =>
    combine([
      [1 - t, fa],
      [t, fb],
    ]);
}

/** The straight line A → B evaluated at `points` evenly spaced t (align B first for the aligned line). */
export function interpolateLine(
  a: HostParams,
  b: HostParams,
  sets: BaselineSets,
  points = 25,
): AsyncGenerator<PathEvalEvent, void, void> {
  return evaluatePath(linePath(a, b), evenlySpaced(points), sets);
}

/** Runs a baseline generator to its end and returns its `done` event (for the CLI and tests). */
export async function drain<E extends { type: string }>(
  gen: AsyncGenerator<E, void, void>,
  onEvent?: (e: E) => void,
): Promise<Extract<E, { type: 'done' }>> {
  let done: E | null = null;
  for await (const e of gen) {
    onEvent?.(e);
    if (e.type === 'done') done = e;
  }
  if (!done) throw new Error('baseline ended without a result');
  return done as Extract<E, { type: 'done' }>;
}
