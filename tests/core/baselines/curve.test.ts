import { describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import { createBatchSource } from '../../../src/core/data/batches';
import { takeSplit } from '../../../src/core/data/mnist';
import { crossEntropy, forward, toDevice, disposeParams } from '../../../src/core/model/lenet5';
import {
  curveCoefficients,
  curveLength,
  curveLrFactor,
  curvePath,
  trainCurve,
  type CurveEvent,
} from '../../../src/core/baselines/curve';
import { drain } from '../../../src/core/baselines/pathEval';
import { distance, flatten } from '../../../src/core/baselines/flat';
import { createRng } from '../../../src/core/random';
import { maxAbsDiff, mnist } from '../../helpers';
import { mix, modelA, modelB } from './fixtures';

const batchesFor = () => createBatchSource(takeSplit(mnist().train, 640), { batchSize: 32, seed: 5 });

describe('Garipov curves (SPEC §9)', () => {
  const A = modelA();
  const B = modelB();

  it('coefficients: ends at A and B, sum to 1, polychain bends at t = ½', () => {
    for (const kind of ['bezier', 'polychain'] as const) {
      expect(curveCoefficients(kind, 0)).toEqual([1, 0, 0]);
      expect(curveCoefficients(kind, 1)).toEqual([0, 0, 1]);
      for (const t of [0.1, 0.4, 0.5, 0.8])
        expect(curveCoefficients(kind, t).reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    }
    expect(curveCoefficients('polychain', 0.5)).toEqual([0, 1, 0]);
    expect(curveCoefficients('bezier', 0.5)).toEqual([0.25, 0.5, 0.25]);
    const bend = mix([
      [0.5, A],
      [0.5, B],
    ]);
    expect(curveLength('polychain', A, bend, B)).toBeCloseTo(distance(flatten(A), flatten(B)), 3);
    expect(curveLength('bezier', A, bend, B)).toBeCloseTo(distance(flatten(A), flatten(B)), 3);
    expect(
      maxAbsDiff(
        curvePath('bezier', A, bend, B)(0.3),
        flatten(
          mix([
            [0.7, A],
            [0.3, B],
          ]),
        ),
      ),
    ).toBeLessThan(1e-5);
    expect(curveLrFactor(0.2)).toBe(1);
    expect(curveLrFactor(0.95)).toBe(0.01);
  });

  it('one step moves θ₁ by −lr·c₁(t)·∇L(θ(t)) from the midpoint (chain rule)', async () => {
    const lr = 0.05;
    const done = await drain(trainCurve(A, B, batchesFor(), { kind: 'bezier', steps: 1, lr, momentum: 0 }));
    // The same t (first draw of seed 0) and the same first batch, gradient taken at θ(t) directly.
    const t = createRng(0).next();
    const [ca, c1, cb] = curveCoefficients('bezier', t);
    const mid = mix([
      [0.5, A],
      [0.5, B],
    ]);
    const theta = toDevice(
      mix([
        [ca, A],
        [c1, mid],
        [cb, B],
      ]),
    );
    const batch = batchesFor().next();
    const { grads } = tf.variableGrads(() => crossEntropy(forward(theta, batch.x), batch.y), [...theta.values()]);
    for (const [name, v] of theta) {
      const g = grads[v.name].dataSync();
      const expected = Float32Array.from(mid.get(name)!, (m, i) => m - lr * c1 * g[i]);
      expect(maxAbsDiff(done.bend.get(name)!, expected)).toBeLessThan(1e-5);
    }
    tf.dispose([...Object.values(grads), batch.x, batch.y]);
    disposeParams(theta);
  });

  it('streams progress, lowers the loss at the bend and leaves no tensor behind', async () => {
    const batches = batchesFor();
    const baseline = tf.memory().numTensors;
    const events: CurveEvent[] = [];
    const { bend, steps } = await drain(
      trainCurve(A, B, batches, { kind: 'polychain', steps: 12, reportEvery: 4 }),
      (e) => events.push(e),
    );
    expect(tf.memory().numTensors).toBe(baseline);
    expect(events.filter((e) => e.type === 'step').map((e) => (e.type === 'step' ? e.step : 0))).toEqual([4, 8, 12]);
    expect(steps).toBe(12);
    expect(
      distance(
        flatten(bend),
        flatten(
          mix([
            [0.5, A],
            [0.5, B],
          ]),
        ),
      ),
    ).toBeGreaterThan(0);
    // Stopping early frees everything too.
    for await (const e of trainCurve(A, B, batches, { kind: 'bezier', steps: 8, reportEvery: 2 }))
      if (e.type === 'step') break;
    expect(tf.memory().numTensors).toBe(baseline);
    batches.dispose();
  });
});
