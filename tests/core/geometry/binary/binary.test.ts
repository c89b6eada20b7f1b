import { describe, expect, it } from 'vitest';
import * as tf from '../../../../src/core/tf';
import { createBatchSource, createEvalSet } from '../../../../src/core/data/batches';
import { takeSplit } from '../../../../src/core/data/mnist';
import {
  binaryForward,
  downloadBinary,
  initBinaryHost,
  signSte,
  uploadBinary,
} from '../../../../src/core/binary/model';
import { DEFAULT_BINARY_TRAINING, evaluateBinary, trainBinary } from '../../../../src/core/binary/train';
import { readBinaryLenet5, writeBinaryLenet5, isBinaryFile } from '../../../../src/core/binary/io';
import { binaryPathPoint, binaryPathProfile, hammingDistance } from '../../../../src/core/binary/distance';
import { parseSafetensors } from '../../../../src/core/io/safetensors';
import { mnist } from '../../../helpers';

describe('binary LeNet5 (BinaryNet; SPEC §7)', () => {
  it('sign passes gradients straight through where |x| ≤ 1', async () => {
    const x = tf.tensor1d([-2, -0.5, 0, 0.7, 3]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(signSte(v), tf.tensor1d([1, 2, 3, 4, 5]))))(x);
    expect(Array.from(await signSte(x).data())).toEqual([-1, -1, 1, 1, 1]);
    expect(Array.from(await g.data())).toEqual([0, 2, 3, 4, 0]);
    tf.dispose([x, g]);
  });

  it('learns in 150 Adam steps, keeps latent weights in [−1, 1], and round-trips through safetensors', async () => {
    const m = uploadBinary(initBinaryHost(1), true);
    const batches = createBatchSource(mnist().train, { batchSize: 64, seed: 1 });
    const test = createEvalSet(takeSplit(mnist().test, 1000));
    const before = tf.memory().numTensors;
    const cfg = { ...DEFAULT_BINARY_TRAINING, epochs: 150 / batches.batchesPerEpoch, reportEvery: 50 };
    await trainBinary(m, batches, null, cfg);
    expect(tf.memory().numTensors).toBe(before);
    const r = await evaluateBinary(m, test);
    console.log(`binary LeNet5 after 150 steps: test accuracy ${(r.accuracy * 100).toFixed(2)} % (first 1000 images)`);
    expect(r.accuracy).toBeGreaterThan(0.8);
    const host = await downloadBinary(m);
    expect(host.get('fc1.weight')!.every((w) => w >= -1 && w <= 1)).toBe(true);
    const file = writeBinaryLenet5(host, { seed: '1' });
    expect(isBinaryFile(file)).toBe(true);
    const header = parseSafetensors(file);
    expect(header.metadata.binary).toBe('true');
    expect(header.tensors.get('conv1.weight')!.shape).toEqual([6, 1, 5, 5]);
    expect(header.tensors.has('bn3.running_var')).toBe(true);
    const back = readBinaryLenet5(file).params;
    expect(back.get('conv2.weight')!.every((w) => w === 1 || w === -1)).toBe(true);
    const m2 = uploadBinary(back);
    const r2 = await evaluateBinary(m2, test);
    expect(r2.accuracy).toBe(r.accuracy); // the file's ±1 weights are what the model computes with
    // Hamming distance and the flip path between two binary models.
    const other = initBinaryHost(2);
    const h = hammingDistance(back, other);
    expect(h.fraction).toBeGreaterThan(0.3);
    expect(hammingDistance(back, back).count).toBe(0);
    expect(hammingDistance(binaryPathPoint(back, other, 0.5), back).count).toBe(Math.floor(h.count / 2));
    const sets = {
      train: createEvalSet(takeSplit(mnist().train, 300)),
      test: createEvalSet(takeSplit(mnist().test, 300)),
    };
    const p = await binaryPathProfile(back, back, 3, sets);
    expect(p.trainError[0]).toBe(p.trainError[2]);
    expect(p.barrier).toBeCloseTo(0, 9);
    tf.dispose([...m.values(), ...m2.values()]);
    [test, sets.train, sets.test].forEach((s) => s.dispose());
    batches.dispose();
  });

  it('evaluation mode uses running statistics: a batch of one gives the same logits as in a batch', async () => {
    const m = uploadBinary(initBinaryHost(3));
    const test = createEvalSet(takeSplit(mnist().test, 4), 4);
    const all = binaryForward(m, test.chunks[0].x);
    const one = binaryForward(m, tf.slice(test.chunks[0].x, [0], [1]) as tf.Tensor4D);
    expect(Array.from(await one.data())).toEqual(Array.from((await all.data()).slice(0, 10)));
    tf.dispose([all, one, ...m.values()]);
    test.dispose();
  });
});
