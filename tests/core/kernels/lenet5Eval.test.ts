import { describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import { createBatchSource, createEvalSet } from '../../../src/core/data/batches';
import { takeSplit } from '../../../src/core/data/mnist';
import { disposeParams, toDevice } from '../../../src/core/model/lenet5';
import { EVAL_KERNEL_BATCH, kernelEvaluate } from '../../../src/core/kernels/lenet5Eval';
import { evaluate, evaluateOnDevice } from '../../../src/core/train/evaluate';
import { sgdStep } from '../../../src/core/train/sgd';
import { mnist } from '../../helpers';
import { modelA, modelB } from '../baselines/fixtures';

describe('evaluation through the LeNet5 kernel’s forward pass', () => {
  // 1,100 images: TF.js chunks of 1,000 and 100, kernel calls of 250 images and a short one of 100.
  const set = createEvalSet(takeSplit(mnist().train, 1100));

  it('gives the loss and accuracy TF.js’s forward gives, for trained and untrained models', async () => {
    expect(set.chunks.map((c) => c.x.shape[0])).toEqual([1000, 100]);
    expect(1100 % EVAL_KERNEL_BATCH).toBe(100);
    for (const host of [modelA(), modelB()]) {
      const params = toDevice(host);
      const kernel = kernelEvaluate(params, set)!;
      const reference = await evaluateOnDevice(params, set);
      expect(kernel).not.toBeNull();
      expect(Math.abs(kernel.loss - reference.loss) / reference.loss).toBeLessThan(1e-5);
      expect(kernel.accuracy).toBe(reference.accuracy);
      expect(kernel.samples).toBe(1100);
      // evaluate() takes it on wasm.
      expect(await evaluate(params, set)).toEqual(kernel);
      disposeParams(params);
    }
    // A model far from any minimum (large loss, many wrong) agrees as well.
    const scaled = toDevice(new Map([...modelA()].map(([k, v]) => [k, v.map((x) => x * 3)])));
    const [k, r] = [kernelEvaluate(scaled, set)!, await evaluateOnDevice(scaled, set)];
    expect(Math.abs(k.loss - r.loss) / r.loss).toBeLessThan(1e-5);
    expect(k.accuracy).toBe(r.accuracy);
    disposeParams(scaled);
  });

  it('leaves SGD steps on the same kernel as they were (it lays the kernel out for other batch sizes)', () => {
    const steps = (withEvaluation: boolean) => {
      const params = toDevice(modelA());
      const batches = createBatchSource(takeSplit(mnist().train, 640), { batchSize: 64, seed: 5 });
      const losses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const b = batches.next();
        const r = sgdStep(params, b, { lr: 0.01 });
        losses.push(r.loss.dataSync()[0]);
        tf.dispose([r.loss, r.correct, b.x, b.y]);
        if (withEvaluation) kernelEvaluate(params, set);
      }
      const after = params.get('fc3.weight')!.dataSync().slice();
      disposeParams(params);
      return { losses, after };
    };
    const plain = steps(false);
    const interleaved = steps(true);
    expect(interleaved.losses).toEqual(plain.losses);
    expect(interleaved.after).toEqual(plain.after);
  });

  it('creates no tensors, gives NaN for a diverged model, and declines what is not a LeNet5 model', () => {
    const params = toDevice(modelA());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) kernelEvaluate(params, set);
    expect(tf.memory().numTensors).toBe(before);
    // A diverged model's loss is NaN, so the run's NaN guard sees it (as PyTorch's would be: ReLU keeps NaN; TF.js's
    // wasm ReLU turns it into 0 and reported 2.30 here).
    const poisoned = toDevice(new Map([...modelA()].map(([k, v]) => [k, k === 'fc1.weight' ? v.map(() => NaN) : v])));
    expect(kernelEvaluate(poisoned, set)!.loss).toBeNaN();
    disposeParams(poisoned);
    const missing = new Map([...params].filter(([name]) => name !== 'fc3.bias'));
    expect(kernelEvaluate(missing, set)).toBeNull();
    const wide = tf.zeros([84, 12]);
    expect(kernelEvaluate(new Map([...params, ['fc3.weight', wide]]), set)).toBeNull();
    wide.dispose();
    disposeParams(params);
  });
});
