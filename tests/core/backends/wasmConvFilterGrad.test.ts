import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import { createRng } from '../../../src/core/random';
import { maxAbsDiff } from '../../helpers';

/** dL/dW of sum(conv2d(x, w) * r) on the named backend, for fixed host inputs. */
async function filterGrad(
  backend: string,
  x: Float32Array,
  xs: number[],
  w: Float32Array,
  ws: number[],
  r: (shape: number[]) => Float32Array,
  stride: number,
  pad: 'valid' | 'same' | number,
) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, xs as [number, number, number, number]);
    const wt = tf.tensor4d(w, ws as [number, number, number, number]);
    const outShape = tf.conv2d(xt, wt, stride, pad).shape;
    const rt = tf.tensor(r(outShape), outShape);
    const g = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xt, f as tf.Tensor4D, stride, pad), rt)))(wt);
    return g.dataSync().slice(); // wasm/cpu only: synchronous readback is safe here.
  });
}

describe('Conv2DBackpropFilter on wasm (routed through Conv3DBackpropFilterV2)', () => {
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  const cases: Array<{
    n: number;
    h: number;
    w: number;
    cin: number;
    cout: number;
    k: number;
    stride: number;
    pad: 'valid' | 'same' | number;
  }> = [
    { n: 2, h: 8, w: 8, cin: 1, cout: 3, k: 3, stride: 1, pad: 'valid' },
    { n: 3, h: 9, w: 7, cin: 2, cout: 4, k: 5, stride: 1, pad: 2 },
    { n: 2, h: 10, w: 10, cin: 3, cout: 2, k: 3, stride: 2, pad: 'same' },
    { n: 1, h: 12, w: 11, cin: 6, cout: 16, k: 5, stride: 1, pad: 'valid' },
    { n: 4, h: 28, w: 28, cin: 1, cout: 6, k: 5, stride: 1, pad: 2 }, // LeNet5 conv1
  ];
  let worst = 0;

  for (const c of cases) {
    it(`matches the cpu backend for x ${c.n}×${c.h}×${c.w}×${c.cin}, filter ${c.k}×${c.k}×${c.cin}×${c.cout}, stride ${c.stride}, pad ${c.pad}`, async () => {
      const rng = createRng(c.h * 31 + c.cin);
      const rand = (len: number) => Float32Array.from({ length: len }, () => rng.uniform(-1, 1));
      const xs = [c.n, c.h, c.w, c.cin];
      const ws = [c.k, c.k, c.cin, c.cout];
      const x = rand(xs.reduce((a, b) => a * b));
      const w = rand(ws.reduce((a, b) => a * b));
      const rCache = new Map<string, Float32Array>();
      const r = (shape: number[]) => {
        const key = shape.join();
        if (!rCache.has(key)) rCache.set(key, rand(shape.reduce((a, b) => a * b)));
        return rCache.get(key)!;
      };
      const onCpu = await filterGrad('cpu', x, xs, w, ws, r, c.stride, c.pad);
      const onWasm = await filterGrad('wasm', x, xs, w, ws, r, c.stride, c.pad);
      const diff = maxAbsDiff(onCpu, onWasm);
      worst = Math.max(worst, diff);
      // Float32 sums over up to 3,136 terms in a different order: relative error ~1e-6.
      const scale = Math.max(1, ...Array.from(onCpu, Math.abs));
      expect(diff / scale).toBeLessThan(1e-5);
    });
  }

  it('reports the largest difference seen', () => {
    console.log(
      `wasm vs cpu filter gradient: max abs difference ${worst.toExponential(2)} over ${cases.length} shapes`,
    );
    expect(worst).toBeGreaterThan(0); // two different kernels: equal up to float rounding, not bit-identical
  });
});
