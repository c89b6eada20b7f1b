import { describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import {
  barrierOf,
  drain,
  evenlySpaced,
  interpolateLine,
  type PathEvalEvent,
} from '../../../src/core/baselines/pathEval';
import { barrierTable } from '../../../src/core/baselines/table';
import { flatten, unflatten, FLAT_SIZE } from '../../../src/core/baselines/flat';
import { LENET5_PARAM_COUNT } from '../../../src/core/model/lenet5';
import { mnist } from '../../helpers';
import { hostLoss, mix, modelA, modelB, smallSets } from './fixtures';

describe('linear interpolation (SPEC §9)', () => {
  const A = modelA();
  const B = modelB();

  it('equals a direct evaluation of the interpolated model at every t, train and test', async () => {
    const sets = smallSets(300, 200);
    const events: PathEvalEvent[] = [];
    const { curve } = await drain(interpolateLine(A, B, sets, 5), (e) => events.push(e));
    sets.dispose();
    expect(curve.t).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(events.map((e) => e.type)).toEqual(['point', 'point', 'point', 'point', 'point', 'done']);
    curve.t.forEach((t, i) => {
      const model = mix([
        [1 - t, A],
        [t, B],
      ]);
      const train = hostLoss(model, mnist().train, 300);
      const test = hostLoss(model, mnist().test, 200);
      expect(curve.trainLoss[i]).toBeCloseTo(train.loss, 4);
      expect(curve.trainAccuracy[i]).toBeCloseTo(train.accuracy, 6);
      expect(curve.testLoss[i]).toBeCloseTo(test.loss, 4);
      expect(curve.testAccuracy[i]).toBeCloseTo(test.accuracy, 6);
    });
    expect(curve.barrier).toBeCloseTo(barrierOf(curve.t, curve.trainLoss), 12);
    expect(curve.barrier).toBeGreaterThan(0.1); // two independently trained models
  });

  it('leaves no tensor behind, also when the consumer stops early', async () => {
    const sets = smallSets(100, 100);
    const baseline = tf.memory().numTensors;
    await drain(interpolateLine(A, B, sets, 3));
    for await (const e of interpolateLine(A, B, sets, 3)) if (e.type === 'point') break;
    expect(tf.memory().numTensors).toBe(baseline);
    sets.dispose();
  });
});

describe('barrier, positions and the chart table', () => {
  it('barrier is the largest excess over the chord between the ends', () => {
    expect(barrierOf([0, 0.5, 1], [1, 3, 2])).toBeCloseTo(1.5, 12);
    expect(barrierOf([0, 0.5, 1], [1, 1, 1])).toBe(0);
    expect(barrierOf([0, 0.5, 1], [2, 0, 1])).toBe(0); // the ends themselves
    expect(evenlySpaced(3)).toEqual([0, 0.5, 1]);
    expect(() => evenlySpaced(1)).toThrow();
  });

  it('flat vectors round-trip and hold every parameter', () => {
    const A = modelA();
    expect(FLAT_SIZE).toBe(LENET5_PARAM_COUNT);
    const back = unflatten(flatten(A));
    for (const [name, v] of A) expect(back.get(name)).toEqual(v);
  });

  it('barrierTable gives one row per kind with its barrier, maximum, length and steps', () => {
    const curve = {
      t: [0, 0.5, 1],
      trainLoss: [0.1, 0.9, 0.3],
      trainAccuracy: [],
      testLoss: [],
      testAccuracy: [],
      barrier: 0.7,
    };
    const rows = barrierTable([{ kind: 'line', curve, length: 30, sgdSteps: 0 }]);
    expect(rows).toEqual([
      {
        kind: 'line',
        t: curve.t,
        trainLoss: curve.trainLoss,
        barrier: 0.7,
        maxTrainLoss: 0.9,
        length: 30,
        sgdSteps: 0,
      },
    ]);
  });
});
