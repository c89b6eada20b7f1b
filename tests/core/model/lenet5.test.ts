import { describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import {
  LENET5,
  LENET5_PARAM_COUNT,
  forward,
  initLenet5,
  initLenet5Host,
  disposeParams,
} from '../../../src/core/model/lenet5';

describe('LeNet5', () => {
  it('has the 61,706 parameters of the reference, with PyTorch names in state_dict order', () => {
    expect(LENET5_PARAM_COUNT).toBe(61706);
    expect(LENET5.map((p) => p.name)).toEqual([
      'conv1.weight',
      'conv1.bias',
      'conv2.weight',
      'conv2.bias',
      'fc1.weight',
      'fc1.bias',
      'fc2.weight',
      'fc2.bias',
      'fc3.weight',
      'fc3.bias',
    ]);
  });

  it('initialises weights Xavier-uniform (bound sqrt(6/(fan_in+fan_out)), variance bound²/3) and biases to zero', () => {
    const host = initLenet5Host(42);
    for (const spec of LENET5) {
      const v = host.get(spec.name)!;
      if (spec.kind === 'bias') {
        expect(v.every((x) => x === 0)).toBe(true);
        continue;
      }
      const bound = Math.sqrt(6 / (spec.fanIn + spec.fanOut));
      let s = 0;
      let s2 = 0;
      for (const x of v) {
        expect(Math.abs(x)).toBeLessThanOrEqual(bound);
        s += x;
        s2 += x * x;
      }
      const n = v.length;
      const mean = s / n;
      const variance = s2 / n - mean * mean;
      const expected = (bound * bound) / 3;
      // Standard error of a uniform sample variance: sqrt(4/45)·b²/sqrt(n); allow 5 of them.
      const tol = (5 * Math.sqrt(4 / 45) * bound * bound) / Math.sqrt(n);
      expect(Math.abs(variance - expected)).toBeLessThan(tol);
      expect(Math.abs(mean)).toBeLessThan((5 * bound) / Math.sqrt(3 * n));
    }
  });

  it('gives the same model for the same seed and a different one for another seed', () => {
    const a = initLenet5Host(1).get('fc1.weight')!;
    expect(Array.from(initLenet5Host(1).get('fc1.weight')!)).toEqual(Array.from(a));
    expect(initLenet5Host(2).get('fc1.weight')![0]).not.toBe(a[0]);
  });

  it('maps a batch of images to 10 logits per image', () => {
    const params = initLenet5(0);
    const x = tf.zeros([3, 28, 28, 1]) as tf.Tensor4D;
    const y = forward(params, x);
    expect(y.shape).toEqual([3, 10]);
    tf.dispose([x, y]);
    disposeParams(params);
  });
});
