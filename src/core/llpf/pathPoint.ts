/** Per-tensor geometry of a path point (SPEC §6). */
export interface TensorMetrics {
  /** ‖P − D‖, the true L2 norm (the reference's CSV stores ½‖P − D‖²). For M2O, D is the origin. */
  distToDest: number;
  /** ‖P‖. */
  distToOrigin: number;
  /** Unbiased variance of the tensor's entries. */
  variance: number;
  /** cos∠(P, P₀): cosine similarity to the same tensor at the start of the path. */
  cosineToStart: number;
}

/** Test-set evaluation at a path point. */
export interface TestEval {
  loss: number;
  accuracy: number;
  samples: number;
  /** "full": all 10,000 test images; "first-N": the first N of them. */
  subset: string;
}

/** One point of a low-loss path, as every producer (worker, CLI) emits it (SPEC §6). */
export interface PathPoint {
  /** 0 is the start model; tick i is P_i after move, correction, training and correction. */
  tick: number;
  /** Milliseconds since the run started. */
  wallTimeMs: number;
  /** SGD steps taken in this tick. */
  rounds: number;
  /** Moving average of this tick's last roundsMin mini-batch losses (null when no step ran). */
  trainLossMovingAverage: number | null;
  /** Mean accuracy over this tick's mini-batches (null when no step ran). */
  trainAccuracy: number | null;
  /** Test evaluation, on the ticks where it ran. */
  test: TestEval | null;
  /** Per tensor, keyed by PyTorch name. */
  tensors: Record<string, TensorMetrics>;
  /** Step length moved by each layer group this tick (0 for groups that did not move). */
  stepLength: Record<string, number>;
  /** Time of this tick: all of it, and the part spent in SGD steps. */
  timing: { tickMs: number; sgdMs: number };
}

/** Every tensor's values at a tick (engine layout), for the per-layer PCA. */
export interface Snapshot {
  tick: number;
  tensors: Record<string, Float32Array>;
}
