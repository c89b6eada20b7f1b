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
