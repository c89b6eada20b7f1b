import * as tf from '../tf';
import { IMAGE_PIXELS, IMAGE_SIDE, MNIST_MEAN, MNIST_STD, NUM_CLASSES, normalise, type MnistSplit } from './mnist';
import { augmentImage, type AugmentOptions } from './augment';
import { createRng, deriveSeed, permutation, type Rng } from '../random';

/** One mini-batch on the device. The caller owns (and disposes) both tensors. */
export interface Batch {
  /** Normalised images, batch × 28 × 28 × 1. */
  x: tf.Tensor4D;
  /** One-hot labels, batch × 10. */
  y: tf.Tensor2D;
}

/**
 * Endless stream of fixed-size mini-batches over one split, reshuffled (seeded) every epoch.
 * The ragged tail of an epoch is dropped, so every batch has the same shape (SPEC §8).
 */
export interface BatchSource {
  readonly batchSize: number;
  /** Batches per epoch (floor(count / batchSize)). */
  readonly batchesPerEpoch: number;
  /** Epochs completed so far (fractional). */
  epochProgress(): number;
  next(): Batch;
  /** Position in the stream, to resume it exactly. */
  cursor(): BatchCursor;
  dispose(): void;
}

export interface BatchCursor {
  epoch: number;
  index: number;
  rngState: number;
}

export interface BatchSourceOptions {
  batchSize: number;
  seed: number;
  /** Random rotation/shift of each image (host side), or none. */
  augment?: AugmentOptions | null;
  /** Resume the stream where a previous source left it. */
  cursor?: BatchCursor;
}

/**
 * The split is uploaded once; without augmentation batches are gathered on the device
 * (no per-step upload). With augmentation each batch is built on the host and uploaded.
 */
export function createBatchSource(split: MnistSplit, opts: BatchSourceOptions): BatchSource {
  const { batchSize } = opts;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > split.count) {
    throw new Error(`batch size ${batchSize} must be an integer between 1 and ${split.count}`);
  }
  const batchesPerEpoch = Math.floor(split.count / batchSize);
  const rng: Rng = createRng(opts.seed, opts.cursor?.rngState);
  let epoch = opts.cursor?.epoch ?? 0;
  let index = opts.cursor?.index ?? 0;
  let order = permutation(split.count, rng);
  // A resumed cursor holds the rng state from *before* its epoch's permutation, so the line
  // above replays that permutation exactly.
  const augment = opts.augment ?? null;

  const labelsOnDevice = tf.tensor1d(Int32Array.from(split.labels), 'int32');
  const imagesOnDevice = augment
    ? null
    : tf.tensor4d(normalise(split.images), [split.count, IMAGE_SIDE, IMAGE_SIDE, 1]);
  let stateBeforeEpoch = opts.cursor?.rngState ?? createRng(opts.seed).state();
  const hostBatch = new Float32Array(batchSize * IMAGE_PIXELS);
  const scratch = new Float32Array(IMAGE_PIXELS);

  const nextIndices = (): Int32Array => {
    if (index >= batchesPerEpoch) {
      epoch++;
      index = 0;
      stateBeforeEpoch = rng.state();
      order = permutation(split.count, rng);
    }
    const idx = order.subarray(index * batchSize, (index + 1) * batchSize);
    index++;
    return idx;
  };

  return {
    batchSize,
    batchesPerEpoch,
    epochProgress: () => epoch + index / batchesPerEpoch,
    cursor: () => ({ epoch, index, rngState: stateBeforeEpoch }),
    next(): Batch {
      const idx = nextIndices();
      if (imagesOnDevice) {
        return tf.tidy(() => {
          const i = tf.tensor1d(idx, 'int32');
          const x = tf.gather(imagesOnDevice, i) as tf.Tensor4D;
          const y = tf.cast(tf.oneHot(tf.gather(labelsOnDevice, i), NUM_CLASSES), 'float32') as tf.Tensor2D;
          return { x, y };
        });
      }
      // Augmentation draws its own stream per batch, so resuming from a cursor replays it too.
      const augRng = createRng(deriveSeed(opts.seed, `augment:${epoch}:${index}`));
      const scale = 1 / (255 * MNIST_STD);
      const shift = MNIST_MEAN / MNIST_STD;
      for (let b = 0; b < idx.length; b++) {
        const src = split.images.subarray(idx[b] * IMAGE_PIXELS, (idx[b] + 1) * IMAGE_PIXELS);
        augmentImage(src, scratch, augment!, augRng);
        const off = b * IMAGE_PIXELS;
        for (let p = 0; p < IMAGE_PIXELS; p++) hostBatch[off + p] = scratch[p] * scale - shift;
      }
      return tf.tidy(() => ({
        x: tf.tensor4d(hostBatch, [batchSize, IMAGE_SIDE, IMAGE_SIDE, 1]),
        y: tf.cast(tf.oneHot(tf.gather(labelsOnDevice, tf.tensor1d(idx, 'int32')), NUM_CLASSES), 'float32') as tf.Tensor2D,
      }));
    },
    dispose() {
      labelsOnDevice.dispose();
      imagesOnDevice?.dispose();
    },
  };
}

/** A whole split on the device in fixed-size chunks, for evaluation. */
export interface EvalSet {
  /** Chunks of images (chunk × 28 × 28 × 1) and one-hot labels; the last may be smaller. */
  chunks: Batch[];
  count: number;
  dispose(): void;
}

export function createEvalSet(split: MnistSplit, chunkSize = 1000): EvalSet {
  const chunks: Batch[] = [];
  for (let start = 0; start < split.count; start += chunkSize) {
    const end = Math.min(split.count, start + chunkSize);
    const n = end - start;
    chunks.push(
      tf.tidy(() => ({
        x: tf.tensor4d(normalise(split.images.subarray(start * IMAGE_PIXELS, end * IMAGE_PIXELS)), [n, IMAGE_SIDE, IMAGE_SIDE, 1]),
        y: tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(split.labels.subarray(start, end)), 'int32'), NUM_CLASSES), 'float32') as tf.Tensor2D,
      })),
    );
  }
  return {
    chunks,
    count: split.count,
    dispose: () => chunks.forEach((c) => tf.dispose([c.x, c.y])),
  };
}
