import { describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import { initLenet5, disposeParams } from '../../../src/core/model/lenet5';
import { createBatchSource, createEvalSet } from '../../../src/core/data/batches';
import { trainEndpoint } from '../../../src/core/train/endpoint';
import { sgdStep, disposeVelocity } from '../../../src/core/train/sgd';
import { evaluate } from '../../../src/core/train/evaluate';
import { takeSplit } from '../../../src/core/data/mnist';
import { mnist } from '../../helpers';

describe('endpoint training on real MNIST', () => {
  it('300 SGD steps (momentum 0.9, lr 0.01, batch 64) lift test accuracy above 90 %', async () => {
    const params = initLenet5(1);
    const batches = createBatchSource(mnist().train, { batchSize: 64, seed: 1 });
    const test = createEvalSet(mnist().test);
    const before = await evaluate(params, test);
    const reports: number[] = [];
    await trainEndpoint(
      params,
      batches,
      null,
      { epochs: 300 / batches.batchesPerEpoch, lr: 0.01, momentum: 0.9, reportEvery: 100 },
      {
        onProgress: (p) => reports.push(p.trainLoss),
      },
    );
    const after = await evaluate(params, test);
    console.log(
      `after 300 steps: test accuracy ${(after.accuracy * 100).toFixed(2)} % (before ${(before.accuracy * 100).toFixed(2)} %), loss ${after.loss.toFixed(3)}`,
    );
    expect(before.accuracy).toBeLessThan(0.3);
    expect(after.samples).toBe(10000);
    expect(after.accuracy).toBeGreaterThan(0.9);
    expect(reports[reports.length - 1]).toBeLessThan(reports[0]);
    disposeParams(params);
    batches.dispose();
    test.dispose();
  });

  it('keeps the tensor count flat over many steps and evaluations', async () => {
    const params = initLenet5(2);
    const batches = createBatchSource(takeSplit(mnist().train, 2000), { batchSize: 64, seed: 2 });
    const test = createEvalSet(takeSplit(mnist().test, 500), 250);
    const velocity = new Map<string, tf.Variable>();
    const step = async () => {
      const b = batches.next();
      const { loss, correct } = sgdStep(params, b, { lr: 0.01, momentum: 0.9, velocity });
      tf.dispose([b.x, b.y, correct]);
      await loss.data();
      loss.dispose();
    };
    for (let i = 0; i < 5; i++) await step(); // momentum buffers now exist
    await evaluate(params, test);
    const baseline = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) {
      await step();
      if (i % 50 === 0) await evaluate(params, test);
    }
    expect(tf.memory().numTensors).toBe(baseline);
    disposeVelocity(velocity);
    disposeParams(params);
    batches.dispose();
    test.dispose();
  });

  it('stops with a clear error when the loss becomes NaN', async () => {
    const params = initLenet5(3);
    const batches = createBatchSource(takeSplit(mnist().train, 1000), { batchSize: 64, seed: 3 });
    await expect(
      trainEndpoint(params, batches, null, { epochs: 1, lr: 1e6, momentum: 0.9, reportEvery: 5 }),
    ).rejects.toThrow(/training loss became NaN/);
    disposeParams(params);
    batches.dispose();
  });
});
