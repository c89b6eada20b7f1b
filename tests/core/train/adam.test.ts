import { describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import { Adam } from '../../../src/core/train/adam';

/** torch.optim.Adam's update written out in plain JS (the reference the class must match). */
function torchAdam(p: number[], grads: number[][], lr: number, wd = 0, b1 = 0.9, b2 = 0.999, eps = 1e-8): number[] {
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  const out = [...p];
  grads.forEach((g0, k) => {
    const t = k + 1;
    for (let i = 0; i < out.length; i++) {
      const g = g0[i] + wd * out[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const denom = Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps;
      out[i] -= (lr / (1 - b1 ** t)) * (m[i] / denom);
    }
  });
  return out;
}

describe('Adam (PyTorch semantics)', () => {
  const p0 = [0.5, -1.25, 2, 0];
  const grads = [
    [0.1, -0.2, 3, 0],
    [0.05, 0.4, -1, 1e-3],
    [-0.3, 0.1, 0.5, 2],
  ];

  for (const wd of [0, 0.01]) {
    it(`matches torch.optim.Adam over three steps (weight_decay ${wd})`, async () => {
      const adam = new Adam({ lr: 0.01, weightDecay: wd });
      const p = tf.variable(tf.tensor1d(p0));
      const vars = new Map([['p', p]]);
      for (const g of grads) {
        const gt = tf.tensor1d(g);
        adam.apply(vars, new Map([['p', gt]]));
        gt.dispose();
      }
      const got = Array.from(await p.data());
      const want = torchAdam(p0, grads, 0.01, wd);
      got.forEach((x, i) => expect(x).toBeCloseTo(want[i], 5));
      // The first step moves every coordinate with a gradient by about lr (m̂/√v̂ = ±1).
      expect(adam.t).toBe(3);
      adam.dispose();
      p.dispose();
    });
  }

  it('keeps its buffers and frees them on dispose', () => {
    const before = tf.memory().numTensors;
    const adam = new Adam({ lr: 1e-3 });
    const p = tf.tidy(() => tf.variable(tf.zeros([3])));
    const g = tf.ones([3]);
    adam.apply(new Map([['p', p]]), new Map([['p', g]]));
    const afterFirst = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) adam.apply(new Map([['p', p]]), new Map([['p', g]]));
    expect(tf.memory().numTensors).toBe(afterFirst); // buffers made once, nothing leaks per step
    adam.dispose();
    tf.dispose([p, g]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
