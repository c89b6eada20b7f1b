import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IdxFormatError, parseIdx } from '../../../src/core/data/idx';
import { MNIST_FILES, parseMnist, normalise, MNIST_MEAN, MNIST_STD } from '../../../src/core/data/mnist';
import { mnist } from '../../helpers';

const dir = join(__dirname, '../../../public/data/mnist');
const file = (name: string) => new Uint8Array(readFileSync(join(dir, name)));

describe('parseIdx on the real MNIST files', () => {
  it('reads 60,000 training and 10,000 test images with labels 0..9', () => {
    const m = mnist();
    expect(m.train.count).toBe(60000);
    expect(m.test.count).toBe(10000);
    expect(m.train.images.length).toBe(60000 * 784);
    // Known first labels of MNIST: train 5 0 4 1 9, test 7 2 1 0 4.
    expect([...m.train.labels.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
    expect([...m.test.labels.subarray(0, 5)]).toEqual([7, 2, 1, 0, 4]);
    const counts = new Array(10).fill(0);
    m.train.labels.forEach((l) => counts[l]++);
    expect(Math.min(...counts)).toBeGreaterThan(5000);
  });

  it("uses the reference's constants: mean and unbiased std of all 60,000 training images (/255)", () => {
    // dataset_mnist: mean = data.float().mean() / 255, std = data.float().std() / 255 (SPEC §2).
    const px = mnist().train.images;
    const hist = new Float64Array(256);
    for (let i = 0; i < px.length; i++) hist[px[i]]++;
    let sum = 0;
    for (let v = 0; v < 256; v++) sum += v * hist[v];
    const mean = sum / px.length;
    let ss = 0;
    for (let v = 0; v < 256; v++) ss += hist[v] * (v - mean) ** 2;
    const std = Math.sqrt(ss / (px.length - 1));
    expect(Math.abs(mean / 255 - MNIST_MEAN)).toBeLessThan(1e-12);
    expect(Math.abs(std / 255 - MNIST_STD)).toBeLessThan(1e-12);
    expect(MNIST_MEAN.toFixed(6)).toBe('0.130660'); // the figures SPEC §2 and issue #11 quote
    expect(MNIST_STD.toFixed(6)).toBe('0.308108');
    // So the normalised training set has mean 0 and unit variance.
    const x = normalise(px.subarray(0, 784 * 5000));
    expect(normalise(new Uint8Array([0, 255]))).toEqual(
      Float32Array.from([-MNIST_MEAN / MNIST_STD, (1 - MNIST_MEAN) / MNIST_STD]),
    );
    let s = 0;
    for (const v of x) s += v;
    expect(Math.abs(s / x.length)).toBeLessThan(0.02);
  });
});

describe('parseIdx on corrupted files', () => {
  const labels = file(MNIST_FILES.testLabels);

  it('rejects a truncated file, naming both sizes', () => {
    expect(() => parseIdx(labels.subarray(0, labels.length - 10), 'labels')).toThrow(
      /truncated: header promises 10000 bytes .* only 9990 follow/,
    );
  });
  it('rejects a truncated header', () => {
    expect(() => parseIdx(labels.subarray(0, 6), 'labels')).toThrow(/truncated header/);
    expect(() => parseIdx(new Uint8Array(2), 'labels')).toThrow(IdxFormatError);
  });
  it('rejects a wrong magic number (e.g. a gzipped file)', () => {
    const gz = labels.slice();
    gz[0] = 0x1f;
    gz[1] = 0x8b;
    expect(() => parseIdx(gz, 'labels')).toThrow(/bad magic number/);
  });
  it('rejects a data type other than unsigned byte', () => {
    const f = labels.slice();
    f[2] = 0x0d;
    expect(() => parseIdx(f, 'labels')).toThrow(/data type 0xd is not unsigned byte/);
  });
  it('rejects trailing bytes', () => {
    const f = new Uint8Array(labels.length + 3);
    f.set(labels);
    expect(() => parseIdx(f, 'labels')).toThrow(/3 unexpected bytes/);
  });
  it('parseMnist rejects swapped files and wrong counts with a clear message', () => {
    const m = {
      trainImages: file(MNIST_FILES.testImages),
      trainLabels: file(MNIST_FILES.testLabels),
      testImages: file(MNIST_FILES.testImages),
      testLabels: file(MNIST_FILES.testLabels),
    };
    expect(() => parseMnist(m)).toThrow(/MNIST train images: expected 60000 images, got 10000/);
    expect(() => parseMnist({ ...m, trainImages: file(MNIST_FILES.testLabels) })).toThrow(/expected N×28×28/);
  });
});
