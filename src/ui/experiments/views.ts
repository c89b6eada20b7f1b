import { movingAverage, PAPER_SMOOTHING_WINDOW, type ExperimentSummary } from '../../core/experiments/summary';
import type { TensorPca } from '../../core/experiments/jointPca';
import type { DimensionalityFile } from '../../worker/experimentResults';

/**
 * What the experiment views draw, computed from the saved results (pure, unit-tested): the
 * Figure 2/3 bands, the Figure 4 traces and the §5.3 table.
 */

/** A mean ± std band over the recorded ticks of one series. */
export interface Band {
  tick: number[];
  mean: number[];
  /** mean − std and mean + std. */
  lower: number[];
  upper: number[];
  /** Pairs at each tick. */
  count: number[];
}

/**
 * The band of series `name` (a key of summary.json) over the ticks where it was measured; with
 * `smooth`, mean and std are each smoothed by the paper's trailing moving average of 10 recorded
 * values (SPEC §10). `scale` multiplies every value (100 for percent).
 */
export function bandOf(summary: ExperimentSummary, name: string, smooth: boolean, scale = 1): Band | null {
  const s = summary[name];
  if (!s || Array.isArray(s) || !('mean' in s)) return null;
  const at = summary.tick.map((_, i) => i).filter((i) => s.mean[i] !== null && s.count[i] > 0);
  if (!at.length) return null;
  const rawMean = at.map((i) => s.mean[i]);
  const rawStd = at.map((i) => s.std[i]);
  const mean = (smooth ? movingAverage(rawMean, PAPER_SMOOTHING_WINDOW) : rawMean).map((v) => v! * scale);
  const std = (smooth ? movingAverage(rawStd, PAPER_SMOOTHING_WINDOW) : rawStd).map((v) => (v ?? 0) * scale);
  return {
    tick: at.map((i) => summary.tick[i]),
    mean,
    lower: mean.map((m, i) => m - std[i]),
    upper: mean.map((m, i) => m + std[i]),
    count: at.map((i) => s.count[i]),
  };
}

/** The distance unit of the per-layer plot: the true norm, or the reference's ½‖P − D‖² (docs/ALGORITHMS.md). */
export type DistanceUnit = 'distToDest' | 'halfSqDistToDest';

/** A band on a log axis cannot go to or below 0: its lower edge is floored at a small share of the mean. */
export function forLogAxis(b: Band): Band {
  return { ...b, lower: b.lower.map((l, i) => (l > 0 ? l : b.mean[i] * 1e-3)) };
}

/** One path's trace in a tensor's joint PCA: its coordinates and ticks (the colour). */
export interface PcaTrace {
  run: string;
  x: number[];
  y: number[];
  tick: number[];
}

/** The traces of one tensor's joint PCA, one per path. */
export function pcaTraces(t: TensorPca): PcaTrace[] {
  return t.runs.map((r) => ({
    run: r.run,
    x: r.coords.map((c) => c[0] ?? 0),
    y: r.coords.map((c) => c[1] ?? 0),
    tick: r.ticks,
  }));
}

/** One row of the §5.3 table. */
export interface RankRow {
  tensor: string;
  /** d: entries of the tensor. */
  dims: number;
  /** K: excursions. */
  paths: number;
  /** Singular values above σ_max·max(K, d)·ε_float32. */
  rank: number;
  /** min(K, d), the paper's claim. */
  fullRank: number;
  /** The numerical-rank threshold. */
  tolerance: number;
  sigmaMax: number;
  sigmaMin: number;
  /** rank = min(K, d). */
  claimHolds: boolean;
}

/** The §5.3 table: per tensor, the rank at the numerical-rank threshold against min(K, d). */
export function rankRows(f: DimensionalityFile): RankRow[] {
  return Object.entries(f.tensors).map(([tensor, t]) => ({
    tensor,
    dims: t.dims,
    paths: t.paths,
    rank: t.rank,
    fullRank: t.fullRank,
    tolerance: t.tolerance,
    sigmaMax: t.singularValues[0] ?? 0,
    sigmaMin: t.singularValues[t.singularValues.length - 1] ?? 0,
    claimHolds: t.rank === t.fullRank,
  }));
}

/** A number in 3 significant digits, exponent form outside 0.001..10,000. */
export function sci(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? x.toExponential(2) : x.toPrecision(3);
}
