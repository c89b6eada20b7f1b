import { afterAll, describe, expect, it } from 'vitest';
import { presetFor, validateConfig, type RunConfig } from '../../../src/core/config';
import { createBatchSource, createEvalSet, runBatchOptions } from '../../../src/core/data/batches';
import { MNIST_MEAN, MNIST_STD, takeSplit } from '../../../src/core/data/mnist';
import { initLenet5Host, toDevice, toHost, disposeParams, type HostParams } from '../../../src/core/model/lenet5';
import { PathState, llpfPath, type PathContext } from '../../../src/core/llpf/path';
import { maxAbsDiff, mnist } from '../../helpers';
import {
  angleConformal,
  copyParams,
  lossAndGrads,
  move,
  sgdStep,
  unbiasedVar,
  varianceCorrect,
  type RefParams,
} from './fullBatchReference';

/**
 * Issue #11, "an order-independent check with training on": with --train-subset N --batch N
 * --augment false every SGD step sees the same full batch (in some order), so a tick with training
 * is deterministic. The engine's path iterator is checked tick by tick against fullBatchReference.ts,
 * an independent float64 computation of the same ticks (SPEC §3, §4), to ≤ 1e-5.
 */
const N = 32;
const TICKS = 3;
const TOL = 1e-5;

const train = () => takeSplit(mnist().train, N);
/** The N images normalised in float64, (x/255 − mean)/std, and their labels. */
function referenceBatch(): { x: Float64Array; labels: Uint8Array } {
  const t = train();
  return { x: Float64Array.from(t.images, (v) => (v / 255 - MNIST_MEAN) / MNIST_STD), labels: t.labels };
}

const contexts: PathContext[] = [];
function fullBatchContext(config: RunConfig): PathContext {
  // The data createPathContext builds from the config: trainSubset N, batch N, augment off.
  const ctx: PathContext = {
    batches: createBatchSource(mnist().train, runBatchOptions(config, config.seed)),
    testFull: createEvalSet(takeSplit(mnist().test, 50)),
    testSubset: createEvalSet(takeSplit(mnist().test, 50)),
    trainFixed: null,
    sharedTestFull: false,
  };
  contexts.push(ctx);
  return ctx;
}
afterAll(() => contexts.forEach((c) => [c.batches, c.testFull, c.testSubset].forEach((d) => d.dispose())));

const config = (over: Partial<RunConfig>): RunConfig =>
  validateConfig({
    ...presetFor('paper', over.mode ?? 'm2m'),
    ...{ trainSubset: N, batch: N, augment: false, ticks: TICKS, roundsMin: 2, roundsMax: 2, threshold: 0.1 },
    ...{ seed: 4, evalEvery: 1000, snapshotEvery: 0 },
    ...over,
  });

/** Largest |engine − reference| over all tensors. */
function worst(engine: HostParams, ref: RefParams): number {
  return Math.max(...[...ref].map(([n, r]) => maxAbsDiff(engine.get(n)!, r)));
}

/**
 * Runs the engine's path and the reference side by side; `refTick` performs one reference tick
 * and returns the mean of its SGD losses (the moving average over the last roundsMin = 2 steps).
 */
async function compare(
  c: RunConfig,
  start: HostParams,
  dest: HostParams | null,
  refTick: (p: RefParams) => number,
): Promise<{ worstDiff: number; ref: RefParams; engine: HostParams }> {
  const a = toDevice(start);
  const b = dest ? toDevice(dest) : null;
  const state = new PathState(a, b, c);
  const ref = copyParams(start);
  let worstDiff = 0;
  let engine: HostParams = start;
  try {
    for await (const tick of llpfPath(state, fullBatchContext(c))) {
      if (tick.tick === 0) continue;
      const refLoss = refTick(ref);
      engine = await toHost(tick.params);
      const diff = worst(engine, ref);
      expect(diff, `tick ${tick.tick}`).toBeLessThanOrEqual(TOL);
      expect(tick.training.rounds).toBe(2);
      expect(Math.abs(tick.training.movingAverageLoss - refLoss)).toBeLessThanOrEqual(TOL);
      worstDiff = Math.max(worstDiff, diff);
    }
    expect(state.tick).toBe(TICKS);
  } finally {
    state.dispose();
    disposeParams(a);
    if (b) disposeParams(b);
  }
  return { worstDiff, ref, engine };
}

describe('full-batch LLPF ticks with training match an independent computation (issue #11)', () => {
  const { x, labels } = referenceBatch();
  const A = initLenet5Host(1);
  const B = initLenet5Host(2);
  const startVar = new Map([...A].map(([n, v]) => [n, unbiasedVar(Float64Array.from(v))]));

  it('the reference gradient agrees with central differences', () => {
    const p = copyParams(A);
    const { grads } = lossAndGrads(p, x.subarray(0, 4 * 784), labels.subarray(0, 4));
    const h = 1e-5;
    for (const [name, i] of [
      ['conv1.weight', 37],
      ['conv1.bias', 2],
      ['conv2.weight', 1201],
      ['fc1.weight', 4321],
      ['fc2.bias', 5],
      ['fc3.weight', 100],
    ] as const) {
      const a = p.get(name)!;
      const keep = a[i];
      a[i] = keep + h;
      const up = lossAndGrads(p, x.subarray(0, 4 * 784), labels.subarray(0, 4)).loss;
      a[i] = keep - h;
      const down = lossAndGrads(p, x.subarray(0, 4 * 784), labels.subarray(0, 4)).loss;
      a[i] = keep;
      expect(Math.abs((up - down) / (2 * h) - grads.get(name)![i]), name).toBeLessThan(1e-7);
    }
  });

  it('M2M: move, VarianceCorrection, 2 SGD steps, VarianceCorrection', async () => {
    const c = config({ mode: 'm2m', stepF: 0.5, stepA: 0, lr: 0.05 });
    const destination = copyParams(B);
    const { ref } = await compare(c, A, B, (p) => {
      move(p, destination, c.stepF, c.stepA);
      varianceCorrect(p, startVar);
      const loss = (sgdStep(p, x, labels, () => c.lr) + sgdStep(p, x, labels, () => c.lr)) / 2;
      varianceCorrect(p, startVar);
      return loss;
    });
    // The check has teeth: without the SGD steps the reference ends far from where it is.
    const untrained = copyParams(A);
    for (let t = 0; t < TICKS; t++) {
      move(untrained, destination, c.stepF, c.stepA);
      varianceCorrect(untrained, startVar);
    }
    expect(Math.max(...[...ref].map(([n, r]) => maxAbsDiff(untrained.get(n)!, r)))).toBeGreaterThan(1e-3);
  });

  it('M2O: move toward the origin, AngleConformal learning rates, 2 SGD steps', async () => {
    const c = config({ mode: 'm2o', stepF: 0, stepA: 0.1, lr: 0.05 });
    const origin = new Map([...A].map(([n, v]) => [n, new Float64Array(v.length)]));
    const plain = copyParams(A); // the same ticks with one learning rate, to show AngleConformal matters
    await compare(c, A, null, (p) => {
      move(p, origin, c.stepF, c.stepA);
      const rates = angleConformal(p, startVar, c.lr);
      const loss = (sgdStep(p, x, labels, (n) => rates.get(n)!) + sgdStep(p, x, labels, (n) => rates.get(n)!)) / 2;
      move(plain, origin, c.stepF, c.stepA);
      sgdStep(plain, x, labels, () => c.lr);
      sgdStep(plain, x, labels, () => c.lr);
      expect(Math.max(...[...p].map(([n, r]) => maxAbsDiff(plain.get(n)!, r)))).toBeGreaterThan(1e-4);
      return loss;
    });
  });
});
