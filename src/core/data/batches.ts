import * as tf from '../tf';
import { IMAGE_PIXELS, IMAGE_SIDE, NUM_CLASSES, normalise, takeSplit, type MnistSplit } from './mnist';
import { augmentImage, REFERENCE_AUGMENT, type AugmentOptions } from './augment';
import { createRng, deriveSeed, permutation, type Rng } from '../random';
import type { RunConfig } from '../config';

/** One mini-batch on the device. The caller owns (and disposes) both tensors. */
export interface Batch {
  /** Normalised images, batch × 28 × 28 × 1. */
  x: tf.Tensor4D;
  /** One-hot labels, batch × 10. */
  y: tf.Tensor2D;
}

/**
 * How the stream walks the set (SPEC §3.3, §8):
 * - "fixed": one seeded shuffle per pass of floor(count/batch) equal batches, the ragged tail
 *   dropped, so every batch has the same shape (endpoint training, the fast GPU path);
 * - "reference": the reference's `DataLoader(shuffle=True, drop_last=False)`: passes of
 *   ceil(count/batch) batches, the last one short, and a new shuffle whenever a tick begins
 *   (the reference iterates its DataLoader afresh every tick; see `beginTick`).
 */
export type BatchSemantics = 'fixed' | 'reference';

/** Endless seeded stream of mini-batches over one split. */
export interface BatchSource {
  /** Examples per batch (the last batch of a pass may be shorter under "reference" semantics). */
  readonly batchSize: number;
  /** Batches in a full pass: floor(count/batchSize) ("fixed") or ceil(count/batchSize) ("reference"). */
  readonly batchesPerEpoch: number;
  /** Examples the stream draws from (the split, or its first `subset` examples). */
  readonly count: number;
  readonly semantics: BatchSemantics;
  /** Passes begun before the current one plus the fraction of the current pass consumed. */
  epochProgress(): number;
  /** The next batch (fresh tensors owned by the caller). */
  next(): Batch;
  /**
   * Marks the start of an LLPF tick. Under "reference" semantics the rest of the current pass is
   * dropped and the next batch opens a new shuffle (unless the current pass has not begun);
   * under "fixed" semantics the stream just continues.
   */
  beginTick(): void;
  /** Position in the stream, to resume it exactly (pass `cursor` back with the same other options). */
  cursor(): BatchCursor;
  dispose(): void;
}

/** The whole state of a stream, JSON-serialisable. */
export interface BatchCursor {
  /** Passes begun before the current one. */
  epoch: number;
  /** Batches already taken from the current pass (= its length when the pass is used up). */
  index: number;
  /** State of the shuffling generator just before the current pass's permutation was drawn. */
  rngState: number;
}

export interface BatchSourceOptions {
  /** Examples per batch. */
  batchSize: number;
  /** Seed of the shuffles (and of the augmentation draws). */
  seed: number;
  /** The reference's rotation and padded crop of each image (host side), or none. */
  augment?: AugmentOptions | null;
  /** Draw from the first N examples of the split only (`trainSubset`); 0 or absent: all of them. */
  subset?: number;
  /** How passes are cut and shuffled (default "fixed"). */
  semantics?: BatchSemantics;
  /** Resume the stream where a previous source with the same options left it. */
  cursor?: BatchCursor;
}

/**
 * The batch-source options a path's run config asks for (SPEC §2, §3.3): batch size, the
 * reference's augmentation or none, the training subset and the batch semantics.
 */
export function runBatchOptions(
  config: Pick<RunConfig, 'batch' | 'augment' | 'trainSubset' | 'batchMode'>,
  seed: number,
  cursor?: BatchCursor,
): BatchSourceOptions {
  const augment = config.augment ? REFERENCE_AUGMENT : null;
  return { batchSize: config.batch, seed, augment, subset: config.trainSubset, semantics: config.batchMode, cursor };
}

/**
 * The split is uploaded once; without augmentation batches are gathered on the device
 * (no per-step upload). With augmentation each batch is built on the host and uploaded.
 * Every random choice derives from `seed`, so a cursor replays the stream bit for bit.
 */
export function createBatchSource(whole: MnistSplit, opts: BatchSourceOptions): BatchSource {
  const { batchSize } = opts;
  const subset = opts.subset ?? 0;
  if (!Number.isInteger(subset) || subset < 0) throw new Error(`subset ${subset} must be a non-negative integer`);
  const split = subset > 0 ? takeSplit(whole, subset) : whole;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > split.count) {
    throw new Error(`batch size ${batchSize} must be an integer between 1 and ${split.count}`);
  }
  const semantics = opts.semantics ?? 'fixed';
  const reference = semantics === 'reference';
  const batchesPerEpoch = reference ? Math.ceil(split.count / batchSize) : Math.floor(split.count / batchSize);
  const augment = opts.augment ?? null;

  // Stream state (what the cursor records); `order` is derived from rngState.
  let epoch = opts.cursor?.epoch ?? 0;
  let index = opts.cursor?.index ?? 0;
  let stateBeforePass = opts.cursor?.rngState ?? createRng(opts.seed).state();
  const rng: Rng = createRng(opts.seed, stateBeforePass);
  let order = permutation(split.count, rng);
  if (!Number.isInteger(index) || index < 0 || index > batchesPerEpoch) {
    throw new Error(`batch cursor index ${index} is outside 0..${batchesPerEpoch}`);
  }

  const labelsOnDevice = tf.tensor1d(Int32Array.from(split.labels), 'int32');
  const imagesOnDevice = augment
    ? null
    : tf.tensor4d(normalise(split.images), [split.count, IMAGE_SIDE, IMAGE_SIDE, 1]);
  const hostBatch = new Float32Array(batchSize * IMAGE_PIXELS);
  const grey = new Float32Array(IMAGE_PIXELS);

  const nextIndices = (): Int32Array => {
    if (index >= batchesPerEpoch) {
      epoch++;
      index = 0;
      stateBeforePass = rng.state();
      order = permutation(split.count, rng);
    }
    const idx = order.subarray(index * batchSize, Math.min((index + 1) * batchSize, split.count));
    index++;
    return idx;
  };

  const oneHot = (idx: Int32Array): tf.Tensor2D =>
    tf.tidy(
      () =>
        tf.cast(tf.oneHot(tf.gather(labelsOnDevice, tf.tensor1d(idx, 'int32')), NUM_CLASSES), 'float32') as tf.Tensor2D,
    );

  return {
    batchSize,
    batchesPerEpoch,
    count: split.count,
    semantics,
    epochProgress: () => epoch + index / batchesPerEpoch,
    cursor: () => ({ epoch, index, rngState: stateBeforePass }),
    beginTick() {
      if (reference && index > 0) index = batchesPerEpoch;
    },
    next(): Batch {
      const idx = nextIndices();
      if (imagesOnDevice) {
        return tf.tidy(() => ({
          x: tf.gather(imagesOnDevice, tf.tensor1d(idx, 'int32')) as tf.Tensor4D,
          y: oneHot(idx),
        }));
      }
      // Each batch draws its own augmentation stream, keyed by its place, so a cursor replays it.
      const augRng = createRng(deriveSeed(opts.seed, `augment:${epoch}:${index}`));
      for (let b = 0; b < idx.length; b++) {
        augmentImage(split.images.subarray(idx[b] * IMAGE_PIXELS, (idx[b] + 1) * IMAGE_PIXELS), grey, augment!, augRng);
        normaliseGrey(grey, hostBatch, b * IMAGE_PIXELS);
      }
      const x = tf.tensor4d(hostBatch.subarray(0, idx.length * IMAGE_PIXELS), [idx.length, IMAGE_SIDE, IMAGE_SIDE, 1]);
      return { x, y: oneHot(idx) };
    },
    dispose() {
      labelsOnDevice.dispose();
      imagesOnDevice?.dispose();
    },
  };
}

/** The normalised input of each grey level 0..255 (levels stay integers through rotation and crop). */
const NORMALISED_LEVEL = normalise(Uint8Array.from({ length: 256 }, (_, i) => i));

/** Normalises one image of grey levels into `out` at `offset`, exactly as `normalise` does. */
function normaliseGrey(grey: Float32Array, out: Float32Array, offset: number): void {
  for (let p = 0; p < grey.length; p++) out[offset + p] = NORMALISED_LEVEL[grey[p]];
}

/** A whole split on the device in fixed-size chunks, for evaluation. */
export interface EvalSet {
  /** Chunks of images (chunk × 28 × 28 × 1) and one-hot labels; the last may be smaller. */
  chunks: Batch[];
  count: number;
  /** Which images: the split's label ("full", "first-N", "random-N"), else "N images". */
  label: string;
  /** The same images on the host (views of the split, no copy), for the wasm kernel's forward pass. */
  source: MnistSplit;
  dispose(): void;
}

export function createEvalSet(split: MnistSplit, chunkSize = 1000): EvalSet {
  const chunks: Batch[] = [];
  for (let start = 0; start < split.count; start += chunkSize) {
    const end = Math.min(split.count, start + chunkSize);
    const n = end - start;
    const pixels = normalise(split.images.subarray(start * IMAGE_PIXELS, end * IMAGE_PIXELS));
    const labels = Int32Array.from(split.labels.subarray(start, end));
    chunks.push(
      tf.tidy(() => ({
        x: tf.tensor4d(pixels, [n, IMAGE_SIDE, IMAGE_SIDE, 1]),
        y: tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), NUM_CLASSES), 'float32') as tf.Tensor2D,
      })),
    );
  }
  return {
    chunks,
    count: split.count,
    label: split.label ?? `${split.count} images`,
    source: split,
    dispose: () => chunks.forEach((c) => tf.dispose([c.x, c.y])),
  };
}
