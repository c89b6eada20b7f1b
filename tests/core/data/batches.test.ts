import { describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import { createBatchSource, createEvalSet, runBatchOptions, type BatchSource } from '../../../src/core/data/batches';
import { presetFor } from '../../../src/core/config';
import { REFERENCE_AUGMENT } from '../../../src/core/data/augment';
import { MNIST_MEAN, MNIST_STD, randomSubset, takeSplit, type MnistSplit } from '../../../src/core/data/mnist';
import { createRng, permutation } from '../../../src/core/random';
import { mnist } from '../../helpers';

const small = () => takeSplit(mnist().train, 1000);

/** A split whose example i has grey level i in its first pixel, so a batch names its examples. */
function numbered(count: number): MnistSplit {
  const images = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) images[i * 784] = i;
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
}

/** The examples of the next batch (by their first pixel), freeing the batch. */
async function ids(src: BatchSource): Promise<number[]> {
  const b = src.next();
  const first = tf.tidy(() => tf.reshape(tf.slice(b.x, [0, 0, 0, 0], [-1, 1, 1, 1]), [-1]));
  const v = await first.data();
  tf.dispose([first, b.x, b.y]);
  return Array.from(v, (x) => Math.round((x * MNIST_STD + MNIST_MEAN) * 255) + 0); // + 0: no −0
}

async function labelsOf(batch: { x: tf.Tensor; y: tf.Tensor }): Promise<number[]> {
  const l = tf.argMax(batch.y, 1);
  const out = Array.from(await l.data());
  tf.dispose([l, batch.x, batch.y]);
  return out;
}

/** The k-th permutation (0-based) a source seeded `seed` draws: the order of its k-th pass. */
function passOrder(count: number, seed: number, k: number): number[] {
  const rng = createRng(seed);
  let order = permutation(count, rng);
  for (let i = 0; i < k; i++) order = permutation(count, rng);
  return Array.from(order);
}

describe('createBatchSource, "fixed" semantics (endpoint training, the GPU path)', () => {
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
    const epoch: number[] = [...first];
    for (let i = 1; i < 20; i++) epoch.push(...(await labelsOf(a.next())));
    const hist = (ls: ArrayLike<number>) =>
      Array.from({ length: 10 }, (_, k) => Array.from(ls).filter((l) => l === k).length);
    expect(hist(epoch)).toEqual(hist(small().labels));
    expect(await labelsOf(a.next())).not.toEqual(first);
    [a, b, c].forEach((s) => s.dispose());
  });

  it('ignores beginTick: the stream just continues', async () => {
    const a = createBatchSource(numbered(100), { batchSize: 30, seed: 4 });
    const b = createBatchSource(numbered(100), { batchSize: 30, seed: 4 });
    for (let i = 0; i < 7; i++) {
      a.beginTick();
      expect(await ids(a)).toEqual(await ids(b));
    }
    [a, b].forEach((s) => s.dispose());
  });
});

describe('createBatchSource, "reference" semantics (DataLoader shuffle=True, drop_last=False, fresh each tick)', () => {
  it('keeps the short last batch: a pass visits every example exactly once', async () => {
    const src = createBatchSource(numbered(100), { batchSize: 30, seed: 2, semantics: 'reference' });
    expect(src.batchesPerEpoch).toBe(4); // ceil(100/30)
    const pass = [await ids(src), await ids(src), await ids(src), await ids(src)];
    expect(pass.map((b) => b.length)).toEqual([30, 30, 30, 10]);
    expect(pass.flat()).toEqual(passOrder(100, 2, 0));
    expect([...pass.flat()].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect((await ids(src)).length).toBe(30); // the next pass, newly shuffled
    src.dispose();
  });

  it('starts a new shuffle every tick; a tick that has not drawn yet keeps its fresh shuffle', async () => {
    const src = createBatchSource(numbered(100), { batchSize: 30, seed: 5, semantics: 'reference' });
    src.beginTick(); // nothing drawn yet: pass 0 stays
    const tick1 = [await ids(src), await ids(src)];
    expect(tick1.flat()).toEqual(passOrder(100, 5, 0).slice(0, 60));
    src.beginTick();
    const tick2 = [await ids(src)];
    expect(tick2.flat()).toEqual(passOrder(100, 5, 1).slice(0, 30));
    src.beginTick();
    const tick3 = [await ids(src), await ids(src), await ids(src), await ids(src), await ids(src)];
    expect(tick3.map((b) => b.length)).toEqual([30, 30, 30, 10, 30]); // within a tick a pass ends, then a new one
    expect(tick3.flat()).toEqual([...passOrder(100, 5, 2), ...passOrder(100, 5, 3).slice(0, 30)]);
    expect(src.cursor().epoch).toBe(3);
    src.dispose();
  });

  it('with augmentation gives the short batch its own shape and the same labels as without', async () => {
    const opts = { batchSize: 64, seed: 6, semantics: 'reference' as const, subset: 100 };
    const plain = createBatchSource(mnist().train, opts);
    const aug = createBatchSource(mnist().train, { ...opts, augment: REFERENCE_AUGMENT });
    for (const n of [64, 36]) {
      const [p, q] = [plain.next(), aug.next()];
      expect(q.x.shape).toEqual([n, 28, 28, 1]);
      const diff = tf.tidy(() => tf.mean(tf.abs(tf.sub(p.x, q.x))).dataSync()[0]);
      expect(diff).toBeGreaterThan(0.01);
      const bg = tf.tidy(() => tf.min(q.x).dataSync()[0]);
      expect(bg).toBeCloseTo(-MNIST_MEAN / MNIST_STD, 5); // the zero fill normalises like black
      expect(await labelsOf(q)).toEqual(await labelsOf(p));
    }
    [plain, aug].forEach((s) => s.dispose());
  });
});

describe('BatchSource.cursor', () => {
  it('resumes a fixed stream with the same batches', async () => {
    const a = createBatchSource(small(), { batchSize: 64, seed: 3 });
    for (let i = 0; i < 20; i++) tf.dispose(Object.values(a.next()));
    const resumed = createBatchSource(small(), { batchSize: 64, seed: 3, cursor: a.cursor() });
    for (let i = 0; i < 15; i++) expect(await labelsOf(resumed.next())).toEqual(await labelsOf(a.next()));
    [a, resumed].forEach((s) => s.dispose());
  });

  it('resumes a reference stream with augmentation bit for bit, at any point of a tick', async () => {
    const opts = { batchSize: 16, seed: 9, semantics: 'reference' as const, subset: 40, augment: REFERENCE_AUGMENT };
    const pattern = [2, 0, 3, 1, 4, 2]; // batches per tick: ends inside a pass, at its end, across it
    const run = async (src: BatchSource, from: number, to: number, out: Float32Array[]) => {
      for (let t = from; t < to; t++) {
        src.beginTick();
        for (let k = 0; k < pattern[t]; k++) {
          const b = src.next();
          out.push((await b.x.data()) as Float32Array);
          tf.dispose([b.x, b.y]);
        }
      }
    };
    const whole: Float32Array[] = [];
    const straight = createBatchSource(mnist().train, opts);
    await run(straight, 0, pattern.length, whole);
    for (const cut of [1, 2, 3, 4]) {
      const parts: Float32Array[] = [];
      const first = createBatchSource(mnist().train, opts);
      await run(first, 0, cut, parts);
      const cursor = JSON.parse(JSON.stringify(first.cursor()));
      const second = createBatchSource(mnist().train, { ...opts, cursor });
      await run(second, cut, pattern.length, parts);
      expect(parts.length).toBe(whole.length);
      parts.forEach((p, i) => expect(p, `cut ${cut}, batch ${i}`).toEqual(whole[i]));
      [first, second].forEach((s) => s.dispose());
    }
    straight.dispose();
  });

  it('rejects a cursor that does not fit the options', () => {
    const cursor = { epoch: 0, index: 9, rngState: 1 };
    expect(() => createBatchSource(numbered(100), { batchSize: 30, seed: 1, cursor })).toThrow(/outside 0..3/);
  });
});

describe('subsets', () => {
  it('subset N draws from the first N training images only', async () => {
    const src = createBatchSource(numbered(200), { batchSize: 25, seed: 1, subset: 50, semantics: 'reference' });
    expect(src.count).toBe(50);
    const seen = [...(await ids(src)), ...(await ids(src))].sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
    src.dispose();
    expect(() => createBatchSource(numbered(200), { batchSize: 64, seed: 1, subset: 50 })).toThrow(/between 1 and 50/);
  });

  it('randomSubset draws N distinct images with the seed, in split order, labelled random-N', () => {
    const test = mnist().test;
    const a = randomSubset(test, 500, 7);
    expect(a.count).toBe(500);
    expect(a.label).toBe('random-500');
    expect(randomSubset(test, 500, 7).images).toEqual(a.images);
    expect(randomSubset(test, 500, 8).images).not.toEqual(a.images);
    // Every image is one of the test set's, in increasing position, none twice.
    const key = (imgs: Uint8Array, i: number) => Buffer.from(imgs.subarray(i * 784, (i + 1) * 784)).toString('hex');
    const where = new Map<string, number>();
    for (let i = 0; i < test.count; i++) where.set(`${key(test.images, i)}:${test.labels[i]}`, i);
    const pos = Array.from({ length: 500 }, (_, i) => where.get(`${key(a.images, i)}:${a.labels[i]}`) ?? -1);
    expect(pos.every((p, i) => p >= 0 && (i === 0 || p > pos[i - 1]))).toBe(true);
    expect(pos[499] - pos[0]).toBeGreaterThan(9000); // spread over the set, not its first images
    expect(randomSubset(test, 10000, 7)).toBe(test);
    expect(createEvalSet(takeSplit(test, 10), 10).label).toBe('first-10');
  });
});

describe('runBatchOptions', () => {
  it("maps a run config to the stream it asks for: the paper preset is the reference's pipeline", () => {
    const cursor = { epoch: 2, index: 1, rngState: 5 };
    expect(runBatchOptions(presetFor('paper', 'm2o'), 11, cursor)).toEqual({
      batchSize: 64,
      seed: 11,
      augment: REFERENCE_AUGMENT,
      subset: 0,
      semantics: 'reference',
      cursor,
    });
    const quick = runBatchOptions({ ...presetFor('quick', 'm2m'), trainSubset: 32, batch: 32 }, 1);
    expect(quick).toMatchObject({ batchSize: 32, augment: null, subset: 32, semantics: 'fixed' });
  });
});

describe('createEvalSet', () => {
  it('covers every example once and carries the subset label', () => {
    const set = createEvalSet(takeSplit(mnist().test, 2500), 1000);
    expect(set.chunks.map((c) => c.x.shape[0])).toEqual([1000, 1000, 500]);
    expect(set.label).toBe('first-2500');
    set.dispose();
    const full = createEvalSet(mnist().test, 5000);
    expect(full.label).toBe('full');
    full.dispose();
  });
});
