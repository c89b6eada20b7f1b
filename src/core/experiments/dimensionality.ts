import * as tf from '../tf';
import { LENET5, disposeParams, toHost, type HostParams, type Params } from '../model/lenet5';
import { createBatchSource, type BatchSource } from '../data/batches';
import type { MnistSplit } from '../data/mnist';
import { REFERENCE_AUGMENT } from '../data/augment';
import { deriveSeed } from '../random';
import { disposeVelocity, sgdStep } from '../train/sgd';
import { moveToward } from '../llpf/move';
import { toTensors, toVariables } from './variables';
import { effectiveRanks, numericalRank, REFERENCE_THRESHOLDS, singularValues } from './rank';

/**
 * The dimensionality of low-loss directions (paper §5.3, SPEC §10; reference
 * `tool/measure_redundant_dimension.py`): from one trained model, K short low-loss excursions
 * toward K other models; the rank of the stacked displacements, per tensor.
 */
export interface DimensionalityConfig {
  /** SGD steps ("training rounds") for the start and for each excursion (reference: 10). */
  rounds: number;
  /** SGD learning rate (reference: 0.01). */
  lr: number;
  /** SGD momentum, PyTorch convention (reference: 0.9); a fresh optimiser per excursion. */
  momentum: number;
  /** Mini-batch size (reference: 1000). */
  batch: number;
  /** Step moved toward each destination, per tensor (reference: 0.001; bias not merged with weight). */
  step: number;
  /** Train on the reference's augmented data (rotation ±5°, shift ±2 px). */
  augment: boolean;
  /** Seed of the mini-batch streams (each excursion derives its own). */
  seed: number;
  /**
   * A control, not the reference: every excursion sees the same mini-batches, so the displacements
   * differ only through the move (the reference reshuffles per excursion, and SGD noise dominates).
   */
  sameBatches?: boolean;
}

export const REFERENCE_DIMENSIONALITY: DimensionalityConfig = {
  rounds: 10,
  lr: 0.01,
  momentum: 0.9,
  batch: 1000,
  step: 0.001,
  augment: true,
  seed: 0,
};

/** What the excursions produced (host values, engine layout). */
export interface Excursions {
  /** A after its own `rounds` steps: the origin of every displacement. */
  trainedStart: HostParams;
  /** Per tensor name, K displacement rows (end − trained A), each the tensor's numel long. */
  displacements: Map<string, Float32Array[]>;
  /** Mean mini-batch loss of each run's steps: [start, excursion 1 … K]. */
  meanLoss: number[];
}

export interface ExcursionHooks {
  /** After the start's training (k = 0) and after each excursion k = 1 … K. */
  onProgress?: (k: number, total: number, meanLoss: number) => void;
}

/** Each tensor alone: the §5.3 move is per tensor, not per layer group (SPEC §10). */
const PER_TENSOR = new Map(LENET5.map((p) => [p.name, [p.name]] as const));

/** `rounds` SGD steps with momentum and a fresh velocity; returns the mean mini-batch loss. */
async function trainRounds(params: Params, batches: BatchSource, config: DimensionalityConfig): Promise<number> {
  const velocity = new Map<string, tf.Variable>();
  let sum: tf.Scalar = tf.scalar(0);
  try {
    for (let r = 0; r < config.rounds; r++) {
      const batch = batches.next();
      const { loss, correct } = sgdStep(params, batch, { lr: config.lr, momentum: config.momentum, velocity });
      const next = tf.add(sum, loss) as tf.Scalar;
      tf.dispose([batch.x, batch.y, loss, correct, sum]);
      sum = next;
    }
    return config.rounds > 0 ? (await sum.data())[0] / config.rounds : NaN;
  } finally {
    sum.dispose();
    disposeVelocity(velocity);
  }
}

/**
 * Runs the excursions: train A `rounds` steps; then for each destination, move the trained A by
 * `step` toward it per tensor (no variance correction), train `rounds` steps with a fresh optimiser
 * and a fresh shuffle, and record end − trained A per tensor. `start` is not modified.
 */
export async function runExcursions(
  start: HostParams,
  destinations: readonly HostParams[],
  train: MnistSplit,
  config: DimensionalityConfig = REFERENCE_DIMENSIONALITY,
  hooks: ExcursionHooks = {},
): Promise<Excursions> {
  const batchesFor = (purpose: string) =>
    createBatchSource(train, {
      batchSize: config.batch,
      seed: deriveSeed(config.seed, `dimensionality:${purpose}`),
      augment: config.augment ? REFERENCE_AUGMENT : null,
    });
  const K = destinations.length;
  const A = toVariables(start);
  let P: Params | null = null;
  const displacements = new Map(LENET5.map((p) => [p.name, [] as Float32Array[]]));
  const meanLoss: number[] = [];
  try {
    const batches = batchesFor('start');
    try {
      meanLoss.push(await trainRounds(A, batches, config));
    } finally {
      batches.dispose();
    }
    hooks.onProgress?.(0, K, meanLoss[0]);
    const trainedStart = await toHost(A);
    P = toVariables(trainedStart);
    for (let k = 0; k < K; k++) {
      const batches = batchesFor(config.sameBatches ? 'excursion' : `excursion:${k + 1}`);
      meanLoss.push(await excursion(A, P, trainedStart, destinations[k], batches, config, displacements));
      hooks.onProgress?.(k + 1, K, meanLoss[k + 1]);
    }
    return { trainedStart, displacements, meanLoss };
  } finally {
    disposeParams(A);
    if (P) disposeParams(P);
  }
}

/** One excursion from the trained A toward `dest`, in P; appends its displacement rows. Frees `batches`. */
async function excursion(
  A: Params,
  P: Params,
  trainedStart: HostParams,
  dest: HostParams,
  batches: BatchSource,
  config: DimensionalityConfig,
  out: Map<string, Float32Array[]>,
): Promise<number> {
  const D = toTensors(dest);
  const { next, stepLengths } = moveToward(A, D, PER_TENSOR, {
    stepF: config.step,
    stepA: 0,
    rule: 'max',
    clamp: false,
  });
  tf.dispose([...stepLengths.values(), ...D.values()]);
  for (const [name, t] of next) P.get(name)!.assign(t);
  tf.dispose([...next.values()]);
  try {
    const loss = await trainRounds(P, batches, config);
    const end = await toHost(P);
    for (const [name, rows] of out) {
      const e = end.get(name)!;
      const a = trainedStart.get(name)!;
      rows.push(Float32Array.from(e, (x, i) => x - a[i]));
    }
    return loss;
  } finally {
    batches.dispose();
  }
}

/** The dimension analysis of one tensor's K displacements (the CLI's JSON record). */
export interface TensorDimension {
  /** d: the tensor's number of entries. */
  dims: number;
  /** K: the number of excursions. */
  paths: number;
  /** Numerical rank: σ > σ_max·max(K, d)·ε_float32. */
  rank: number;
  /** min(K, d): the paper's claim for `rank`. */
  fullRank: number;
  /** The numerical-rank tolerance σ_max·max(K, d)·ε_float32. */
  tolerance: number;
  /** min(K, d) singular values, largest first. */
  singularValues: number[];
  /** Effective rank at each of the reference's 1,000 thresholds (REFERENCE_THRESHOLDS). */
  effectiveRanks: number[];
}

/** SVD of each tensor's stacked displacements (rows: excursions) and its ranks. */
export function analyseDisplacements(
  displacements: ReadonlyMap<string, readonly Float32Array[]>,
  thresholds: ArrayLike<number> = REFERENCE_THRESHOLDS,
): Map<string, TensorDimension> {
  const out = new Map<string, TensorDimension>();
  for (const [name, rows] of displacements) {
    const K = rows.length;
    const d = rows[0]?.length ?? 0;
    const sv = singularValues(rows as Float32Array[]).subarray(0, Math.min(K, d));
    const { rank, tolerance } = numericalRank(sv, K, d);
    out.set(name, {
      dims: d,
      paths: K,
      rank,
      fullRank: Math.min(K, d),
      tolerance,
      singularValues: Array.from(sv),
      effectiveRanks: effectiveRanks(sv, thresholds),
    });
  }
  return out;
}
