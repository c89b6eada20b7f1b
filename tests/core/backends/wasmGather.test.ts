import { describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import { registerWasmGatherRows } from '../../../src/core/backends/wasmGather';

describe('GatherV2 row copy on wasm (issue #10)', () => {
  it('equals the cpu backend for rows of images and labels, and leaves other cases to the stock kernel', async () => {
    registerWasmGatherRows();
    registerWasmGatherRows(); // idempotent
    const xs = Float32Array.from({ length: 7 * 3 * 2 }, (_, i) => i * 0.5 - 3);
    const labels = Int32Array.from({ length: 7 }, (_, i) => (i * 3) % 10);
    const idx = [6, 0, 3, 3, 1];
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const x = tf.tensor3d(xs, [7, 3, 2]);
      const y = tf.tensor1d(labels, 'int32');
      const i = tf.tensor1d(idx, 'int32');
      const outs = [tf.gather(x, i), tf.gather(y, i), tf.gather(x, tf.tensor1d([1, 0], 'int32'), 2)];
      const data = await Promise.all(outs.map(async (t) => ({ shape: t.shape, v: Array.from(await t.data()) })));
      tf.dispose([x, y, i, ...outs]);
      return data;
    };
    const want = await run('cpu');
    const got = await run('wasm');
    expect(got).toEqual(want);
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(() => tf.gather(x, tf.tensor1d([2], 'int32'))).toThrow(/not in \[0, 1\]/);
    x.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 1); // the failed call's index tensor
  });
});
