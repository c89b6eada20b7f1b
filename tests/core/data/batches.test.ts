import { describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import { createBatchSource, createEvalSet } from '../../../src/core/data/batches';
import { augmentImage, REFERENCE_AUGMENT } from '../../../src/core/data/augment';
import { takeSplit } from '../../../src/core/data/mnist';
import { createRng } from '../../../src/core/random';
import { mnist } from '../../helpers';

const small = () => takeSplit(mnist().train, 1000);

async function labelsOf(batch: { x: tf.Tensor; y: tf.Tensor }): Promise<number[]> {
  const l = tf.argMax(batch.y, 1);
  const out = Array.from(await l.data());
  tf.dispose([l, batch.x, batch.y]);
  return out;
}

describe('createBatchSource', () => {
  it('gives fixed-shape batches and drops the ragged tail of each epoch', () => {
    const src = createBatchSource(small(), { batchSize: 64, seed: 1 });
    expect(src.batchesPerEpoch).toBe(15); // floor(1000/64)
    for (let i = 0; i < 16; i++) {
      const b = src.next();
      expect(b.x.shape).toEqual([64, 28, 28, 1]);
      expect(b.y.shape).toEqual([64, 10]);
      tf.dispose([b.x, b.y]);
    }
    expect(src.epochProgress()).toBeCloseTo(1 + 1 / 15);
    src.dispose();
  });

  it('is deterministic for a seed, different across seeds, and reshuffles each epoch', async () => {
    const a = createBatchSource(small(), { batchSize: 50, seed: 7 });
    const b = createBatchSource(small(), { batchSize: 50, seed: 7 });
    const c = createBatchSource(small(), { batchSize: 50, seed: 8 });
    const first = await labelsOf(a.next());
    expect(await labelsOf(b.next())).toEqual(first);
    expect(await labelsOf(c.next())).not.toEqual(first);
    // Each epoch visits every example once: the label histogram of one epoch equals the split's.
    const epoch: number[] = [...first];
    for (let i = 1; i < 20; i++) epoch.push(...(await labelsOf(a.next())));
    const hist = (ls: ArrayLike<number>) => Array.from({ length: 10 }, (_, k) => Array.from(ls).filter((l) => l === k).length);
    expect(hist(epoch)).toEqual(hist(small().labels));
    const nextEpochFirst = await labelsOf(a.next());
    expect(nextEpochFirst).not.toEqual(first);
    [a, b, c].forEach((s) => s.dispose());
  });

  it('resumes from a cursor with the same batches', async () => {
    const a = createBatchSource(small(), { batchSize: 64, seed: 3 });
    for (let i = 0; i < 20; i++) tf.dispose(Object.values(a.next()));
    const cursor = a.cursor();
    const resumed = createBatchSource(small(), { batchSize: 64, seed: 3, cursor });
    for (let i = 0; i < 15; i++) expect(await labelsOf(resumed.next())).toEqual(await labelsOf(a.next()));
    a.dispose();
    resumed.dispose();
  });

  it('normalises and augments on the host when asked, keeping labels', async () => {
    const plain = createBatchSource(small(), { batchSize: 32, seed: 5 });
    const aug = createBatchSource(small(), { batchSize: 32, seed: 5, augment: REFERENCE_AUGMENT });
    const p = plain.next();
    const q = aug.next();
    expect(await labelsOf({ x: tf.clone(p.x), y: tf.clone(p.y) })).toEqual(await labelsOf({ x: tf.clone(q.x), y: tf.clone(q.y) }));
    const [pMin, qMin] = [(await p.x.min().data())[0], (await q.x.min().data())[0]];
    expect(qMin).toBeCloseTo(pMin, 4); // background stays at normalised 0
    const diff = (await tf.sub(p.x, q.x).abs().mean().data())[0];
    expect(diff).toBeGreaterThan(0.01);
    tf.dispose([p.x, p.y, q.x, q.y]);
    plain.dispose();
    aug.dispose();
  });

  it('augmentation with zero rotation and shift is the identity', () => {
    const img = mnist().train.images.subarray(0, 784);
    const out = new Float32Array(784);
    augmentImage(img, out, { maxDegrees: 0, maxShift: 0 }, createRng(1));
    expect(Array.from(out)).toEqual(Array.from(img));
  });

  it('createEvalSet covers every example once', () => {
    const set = createEvalSet(takeSplit(mnist().test, 2500), 1000);
    expect(set.chunks.map((c) => c.x.shape[0])).toEqual([1000, 1000, 500]);
    set.dispose();
  });
});
