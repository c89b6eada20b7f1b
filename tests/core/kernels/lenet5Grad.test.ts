import { describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import { createBatchSource } from '../../../src/core/data/batches';
import { takeSplit } from '../../../src/core/data/mnist';
import { crossEntropy, forward, toDevice, disposeParams } from '../../../src/core/model/lenet5';
import { kernelFlatGradient, kernelParamsGradient } from '../../../src/core/kernels/lenet5Grad';
import { flatLossGrad, flatten, unflattenDevice } from '../../../src/core/baselines/flat';
import { optimizerStep } from '../../../src/core/geometry/trainModel';
import { createOptimizer } from '../../../src/core/geometry/optimizers';
import { mnist, relErr } from '../../helpers';
import { modelA } from '../baselines/fixtures';

describe('the LeNet5 kernel as a gradient (curves, AutoNEB, optimisers)', () => {
  const batch = createBatchSource(takeSplit(mnist().train, 640), { batchSize: 64, seed: 3 }).next();
  const theta = tf.tensor1d(flatten(modelA()));

  it('gives the loss and ∂L/∂θ of a flat model as TF.js autodiff does, and the same for its parameter map', () => {
    const kernel = kernelFlatGradient(theta, batch)!;
    expect(kernel).not.toBeNull();
    const [loss, grad] = [kernel.loss, Float32Array.from(kernel.grad)];
    const { value, grad: expected } = tf.tidy(() => {
      const r = tf.valueAndGrad((t: tf.Tensor1D) => crossEntropy(forward(unflattenDevice(t), batch.x), batch.y))(theta);
      return { value: r.value.dataSync()[0], grad: r.grad.dataSync() as Float32Array };
    });
    expect(loss).toBeCloseTo(value, 5);
    expect(relErr(grad, expected)).toBeLessThan(1e-4);
    const params = toDevice(modelA());
    const viaParams = kernelParamsGradient(params, batch)!;
    expect(relErr(viaParams.grad, grad)).toBe(0);
    expect(viaParams.correct).toBe(kernel.correct);
    disposeParams(params);
  });

  it('flatLossGrad takes the kernel on wasm, leaks nothing, and declines what is not a LeNet5 batch', () => {
    const before = tf.memory().numTensors;
    const { value, grad } = tf.tidy(() => {
      const r = flatLossGrad(theta, batch);
      return { value: r.value.dataSync()[0], grad: r.grad.dataSync() as Float32Array };
    });
    expect(tf.memory().numTensors).toBe(before);
    const kernel = kernelFlatGradient(theta, batch)!;
    expect(value).toBe(kernel.loss);
    expect(relErr(grad, kernel.grad)).toBe(0);
    // Elsewhere (WebGPU, WebGL, cpu) it is autodiff: the same numbers to float rounding.
    const autodiff = tf.tidy(() => flatLossGrad(theta, batch, false).grad.dataSync() as Float32Array);
    expect(relErr(autodiff, kernel.grad)).toBeLessThan(1e-4);
    const wrong = { x: tf.zeros([4, 32, 32, 1]) as tf.Tensor4D, y: tf.zeros([4, 10]) as tf.Tensor2D };
    expect(kernelFlatGradient(theta, wrong)).toBeNull();
    tf.dispose([wrong.x, wrong.y]);
  });

  it('optimizerStep (Adam) on the kernel moves the model as Adam on autodiff gradients does', () => {
    const batches = createBatchSource(takeSplit(mnist().train, 640), { batchSize: 64, seed: 4 });
    const [viaKernel, viaAutodiff] = [toDevice(modelA()), toDevice(modelA())];
    const [o1, o2] = [createOptimizer({ kind: 'adam', lr: 1e-3 }), createOptimizer({ kind: 'adam', lr: 1e-3 })];
    for (let step = 0; step < 3; step++) {
      const b = batches.next();
      tf.dispose(optimizerStep(viaKernel, b, o1));
      tf.tidy(() => {
        const names = [...viaAutodiff.keys()];
        const { grads } = tf.variableGrads(
          () => crossEntropy(forward(viaAutodiff, b.x), b.y),
          [...viaAutodiff.values()],
        );
        o2.apply(viaAutodiff, new Map(names.map((n) => [n, grads[viaAutodiff.get(n)!.name]])));
      });
      tf.dispose([b.x, b.y]);
    }
    // Adam divides by √v, so an entry whose gradient is float noise moves by up to lr either way: compare the moves
    // by their mean, not entry by entry.
    for (const [name, v] of viaKernel) {
      const start = modelA().get(name)!;
      const [k, a] = [v.dataSync(), viaAutodiff.get(name)!.dataSync()];
      let [diff, moved] = [0, 0];
      for (let i = 0; i < start.length; i++) {
        diff += Math.abs(k[i] - a[i]);
        moved += Math.abs(a[i] - start[i]);
      }
      expect(moved / start.length, name).toBeGreaterThan(3e-4); // three steps of lr 1e-3 moved it
      expect(diff / moved, name).toBeLessThan(1e-3);
    }
    [o1, o2].forEach((o) => o.dispose());
    [viaKernel, viaAutodiff].forEach(disposeParams);
  });
});
