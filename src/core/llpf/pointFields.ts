/** The fields of a path point and of its packed columns; see pathPoint.ts. */
import { LENET5, LENET5_GROUPS } from '../model/spec';

/** Per-tensor geometry of a path point (docs/ALGORITHMS.md, "The path point"). */
export interface TensorMetrics {
  /** ‖P − D‖, the true L2 norm. For M2O, D is the origin. */
  distToDest: number;
  /**
   * ½‖P − D‖², the unit of the reference's `weight_difference_l2.csv` and of the paper's
   * distance plots (docs/ALGORITHMS.md, "Two distance units"). Derived from `distToDest`.
   */
  halfSqDistToDest: number;
  /** ‖P‖, the L2 distance to the origin. */
  distToOrigin: number;
  /** Unbiased variance (N − 1) of the tensor's entries. */
  variance: number;
  /** cos∠(P, P₀): cosine similarity to the same tensor at the start of the path. */
  cosineToStart: number;
}

/** Kinds of test subset: "full", or "first-N" / "random-N" with N = samples; anything else is "unknown". */
export const TEST_SUBSET_KINDS = ['full', 'first', 'random', 'unknown'] as const;

/** Test-set evaluation at a path point. */
export interface TestEval {
  /** Mean cross-entropy per test image. */
  loss: number;
  /** Fraction of correct top-1 predictions, 0..1. */
  accuracy: number;
  /** Number of test images evaluated. */
  samples: number;
  /** "full": all test images of the run's test set; "first-N": the first N; "random-N": N drawn with the run's seed. */
  subset: string;
}

/**
 * Train loss on a fixed train subset (the first N training images, no augmentation), measured at the
 * evaluated ticks: the baselines' measure (SPEC §9), so paths and baselines compare on one axis.
 */
export interface TrainEval {
  /** Mean cross-entropy per image (nats). */
  loss: number;
  /** Fraction of correct top-1 predictions, 0..1. */
  accuracy: number;
  /** Number of training images (the first `samples` of the training split). */
  samples: number;
}

/** One point of a low-loss path, as every producer (worker, CLI) emits it (docs/ALGORITHMS.md). */
export interface PathPoint {
  /** 0 is the start model; tick i is P_i after move, correction, training and correction. */
  tick: number;
  /** Milliseconds since the run (or its continuation) started. */
  wallTimeMs: number;
  /** SGD steps taken in this tick. */
  rounds: number;
  /** Moving average of this tick's last roundsMin mini-batch losses (null when no step ran). */
  trainLossMovingAverage: number | null;
  /** Mean accuracy over this tick's mini-batches, 0..1 (null when no step ran). */
  trainAccuracy: number | null;
  /** Test evaluation, on the ticks where it ran. */
  test: TestEval | null;
  /** Train loss on the fixed train subset, on the evaluated ticks (null elsewhere, or when off). */
  trainEval: TrainEval | null;
  /** Per tensor, keyed by PyTorch name. */
  tensors: Record<string, TensorMetrics>;
  /** Step length moved by each layer group this tick, parameter units (0 for groups that did not move). */
  stepLength: Record<string, number>;
  /** Time of this tick in ms: all of it, and the part spent in SGD steps. */
  timing: { tickMs: number; sgdMs: number };
}

/** Every tensor's values at a tick (engine layout), for the per-layer PCA. */
export interface Snapshot {
  tick: number;
  tensors: Record<string, Float32Array>;
}

/** Tensor metrics in the order of the JSONL object and the CSV columns. */
export const TENSOR_METRICS = ['distToDest', 'halfSqDistToDest', 'distToOrigin', 'variance', 'cosineToStart'] as const;
export type TensorMetric = (typeof TENSOR_METRICS)[number];
/** The tensor metrics that travel packed; `halfSqDistToDest` is derived from `distToDest` on unpack. */
export const PACKED_TENSOR_METRICS = ['distToDest', 'distToOrigin', 'variance', 'cosineToStart'] as const;
export type PackedTensorMetric = (typeof PACKED_TENSOR_METRICS)[number];

/** ½‖P − D‖² from ‖P − D‖ (the reference's unit). */
export const halfSquare = (dist: number): number => 0.5 * dist * dist;

/** LeNet5's tensor names (state_dict order) and layer groups: the default layout of a point. */
export const POINT_TENSORS: readonly string[] = LENET5.map((p) => p.name);
export const POINT_GROUPS: readonly string[] = [...LENET5_GROUPS];

/** Scalar columns of the packed layout (one number per point; NaN marks "not measured"). */
export const SCALAR_COLUMNS = [
  'tick',
  'wallTimeMs',
  'rounds',
  'trainLoss',
  'trainAccuracy',
  'testLoss',
  'testAccuracy',
  'testSamples',
  'testSubset',
  'trainEvalLoss',
  'trainEvalAccuracy',
  'trainEvalSamples',
  'tickMs',
  'sgdMs',
] as const;
export type ScalarColumn = (typeof SCALAR_COLUMNS)[number];

/**
 * Path points in columns, for cheap transfer (transferable buffers) and plotting.
 * Scalars are Float64 so every number survives packing exactly; tensor metrics are the
 * device's float32 values.
 */
export interface PointColumns {
  count: number;
  tick: Float64Array;
  wallTimeMs: Float64Array;
  rounds: Float64Array;
  /** trainLossMovingAverage (NaN: no training this tick). */
  trainLoss: Float64Array;
  trainAccuracy: Float64Array;
  testLoss: Float64Array;
  testAccuracy: Float64Array;
  /** Test images each evaluation used (0 when none ran). */
  testSamples: Float64Array;
  /** Which test images: an index into TEST_SUBSET_KINDS (NaN when none ran; absent in old stored runs). */
  testSubset?: Float64Array;
  /** Fixed-train-subset loss, accuracy and image count (NaN/0 when not measured; absent in old stored runs). */
  trainEvalLoss?: Float64Array;
  trainEvalAccuracy?: Float64Array;
  trainEvalSamples?: Float64Array;
  /** count × tensors × PACKED_TENSOR_METRICS.length, point-major, then tensor, then metric. */
  tensorMetrics: Float32Array;
  /** count × groups: step length moved (group order of the run's `groupNames`). */
  stepLength: Float32Array;
  tickMs: Float64Array;
  sgdMs: Float64Array;
}
