import type { PathSeries } from './pathSeries';

/** A loss curve along t ∈ [0, 1] (train loss in nats). */
export interface TCurve {
  t: number[];
  loss: number[];
}

/** SPEC §9: max_t L(t) − [(1−t)·L(0) + t·L(1)], with L(0), L(1) the first and last points; NaN if empty. */
export function barrierOf({ t, loss }: TCurve): number {
  const n = loss.length;
  if (n === 0) return NaN;
  const [t0, t1] = [t[0], t[n - 1]];
  let worst = -Infinity;
  for (let i = 0; i < n; i++) {
    const w = t1 > t0 ? (t[i] - t0) / (t1 - t0) : 0;
    worst = Math.max(worst, loss[i] - ((1 - w) * loss[0] + w * loss[n - 1]));
  }
  return worst;
}

/**
 * The LLPF path on the barrier chart: point i at t = tick / totalTicks, its loss the moving average
 * of the tick's mini-batch train losses (ticks without training are skipped).
 */
export function pathCurve(series: PathSeries | null, totalTicks: number): TCurve {
  const curve: TCurve = { t: [], loss: [] };
  if (!series || totalTicks <= 0) return curve;
  for (let i = 0; i < series.length; i++) {
    const loss = series.trainLoss.data[i];
    if (!Number.isFinite(loss)) continue;
    curve.t.push(Math.min(1, series.tick.data[i] / totalTicks));
    curve.loss.push(loss);
  }
  return curve;
}

/**
 * The LLPF path measured as the baselines are (SPEC §9): at t = tick / totalTicks, the train loss on the
 * fixed train subset of the evaluated ticks (`trainEval`; runs without it give an empty curve).
 */
export function pathEvalCurve(series: PathSeries | null, totalTicks: number): TCurve & { samples: number } {
  const curve = { t: [] as number[], loss: [] as number[], samples: 0 };
  if (!series || totalTicks <= 0) return curve;
  for (let i = 0; i < series.length; i++) {
    const loss = series.trainEvalLoss.data[i];
    if (!Number.isFinite(loss)) continue;
    curve.t.push(Math.min(1, series.tick.data[i] / totalTicks));
    curve.loss.push(loss);
    curve.samples = series.trainEvalSamples.data[i];
  }
  return curve;
}

/** The lowest test accuracy of the path's evaluated ticks, or null when none was evaluated. */
export function minTestAccuracyOf(series: PathSeries | null): number | null {
  let min = Infinity;
  for (let i = 0; i < (series?.length ?? 0); i++) {
    const a = series!.testAccuracy.data[i];
    if (Number.isFinite(a)) min = Math.min(min, a);
  }
  return Number.isFinite(min) ? min : null;
}

/** The snapshot ticks of a path in the series: every `every` ticks and the last tick (pathObservers.ts). */
export function snapshotTicks(series: PathSeries | null, every: number, totalTicks: number): number[] {
  if (!series || every <= 0) return [];
  const out: number[] = [];
  for (let i = 0; i < series.length; i++) {
    const tick = series.tick.data[i];
    if (tick % every === 0 || tick === totalTicks) out.push(tick);
  }
  return out;
}

/** What the scrubber shows of one path point. */
export interface PointMetrics {
  tick: number;
  /** Position along the path, tick / ticks. */
  t: number;
  /** Moving average of the tick's mini-batch train losses (nats); NaN on a tick without training. */
  trainLoss: number;
  /** Test accuracy in [0, 1] if the tick was evaluated, else null; `testSamples` images were used. */
  testAccuracy: number | null;
  testSamples: number;
  /** ‖P − D‖ over all parameters (D = B for M2M, the origin for M2O), parameter units. */
  distance: number;
}

/** The point at `tick` (the nearest point at or before it), or null when the series has none. */
export function pointAt(series: PathSeries | null, tick: number, totalTicks: number): PointMetrics | null {
  if (!series || series.length === 0) return null;
  let i = 0;
  while (i + 1 < series.length && series.tick.data[i + 1] <= tick) i++;
  let squares = 0;
  for (const cols of series.tensors.values()) squares += cols.distToDest.data[i] ** 2;
  const acc = series.testAccuracy.data[i];
  const at = series.tick.data[i];
  return {
    tick: at,
    t: totalTicks > 0 ? Math.min(1, at / totalTicks) : 0,
    trainLoss: series.trainLoss.data[i],
    testAccuracy: Number.isNaN(acc) ? null : acc,
    testSamples: series.testSamples.data[i],
    distance: Math.sqrt(squares),
  };
}

/** SGD steps the path spent so far: the sum of every tick's training rounds. */
export function sgdStepsOf(series: PathSeries | null): number {
  let steps = 0;
  for (let i = 0; i < (series?.length ?? 0); i++) steps += series!.rounds.data[i];
  return steps;
}
