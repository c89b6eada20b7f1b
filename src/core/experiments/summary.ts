import { PACKED_TENSOR_METRICS, POINT_GROUPS, POINT_TENSORS, type PathPoint } from '../llpf/pathPoint';

/**
 * Mean ± std per tick across the pairs of an experiment (paper Figures 2 and 3, SPEC §10).
 * Pure and streaming: pairs are added one at a time (a pair's points can be dropped after `add`),
 * so 200 pairs × 30,000 ticks need memory only for the per-tick accumulators.
 */

/** The numeric series of a path point, keyed as in the CSV export (`metric:tensor`, `stepLength:group`). */
export function pointSeries(p: PathPoint): Record<string, number | null> {
  const out: Record<string, number | null> = {
    trainLossMovingAverage: p.trainLossMovingAverage,
    trainAccuracy: p.trainAccuracy,
    rounds: p.rounds,
    testLoss: p.test?.loss ?? null,
    testAccuracy: p.test?.accuracy ?? null,
    trainEvalLoss: p.trainEval?.loss ?? null,
    trainEvalAccuracy: p.trainEval?.accuracy ?? null,
  };
  for (const t of POINT_TENSORS) {
    const m = p.tensors[t];
    if (!m) continue;
    out[`halfSqDistToDest:${t}`] = m.halfSqDistToDest;
    for (const k of PACKED_TENSOR_METRICS) out[`${k}:${t}`] = m[k];
  }
  for (const g of POINT_GROUPS) out[`stepLength:${g}`] = p.stepLength[g] ?? null;
  return out;
}

/** One series across pairs: per tick (index into `tick`), the pairs' mean, std and count. */
export interface SeriesSummary {
  /** Mean over the pairs that have a finite value at that tick (null: none has). */
  mean: (number | null)[];
  /** Population standard deviation (ddof 0, numpy's default) over the same pairs. */
  std: (number | null)[];
  /** How many pairs contributed at that tick (test metrics exist only on evaluation ticks). */
  count: number[];
}

/** summary.json: `meta`, `tick`, and one SeriesSummary per series name (e.g. `trainLossMovingAverage`). */
export interface ExperimentSummary {
  meta: {
    kind: 'lowloss-experiment-summary';
    version: 1;
    /** 1-based indices of the pairs summarised. */
    pairs: number[];
    /** What `std` means. */
    std: 'population (ddof 0)';
  };
  /** The ticks, ascending (the union over pairs). */
  tick: number[];
  [series: string]: SeriesSummary | number[] | ExperimentSummary['meta'];
}

/** Welford accumulators per series and tick. */
export class SummaryAccumulator {
  private readonly pairs: number[] = [];
  private readonly acc = new Map<string, Map<number, { n: number; mean: number; m2: number }>>();
  private readonly ticks = new Set<number>();

  /** Adds one pair's points (its 1-based index names it in `meta.pairs`). */
  add(pairIndex: number, points: Iterable<PathPoint>): void {
    this.pairs.push(pairIndex);
    for (const p of points) {
      this.ticks.add(p.tick);
      for (const [name, v] of Object.entries(pointSeries(p))) {
        let byTick = this.acc.get(name);
        if (!byTick) this.acc.set(name, (byTick = new Map()));
        if (v === null || !Number.isFinite(v)) continue;
        let a = byTick.get(p.tick);
        if (!a) byTick.set(p.tick, (a = { n: 0, mean: 0, m2: 0 }));
        a.n++;
        const delta = v - a.mean;
        a.mean += delta / a.n;
        a.m2 += delta * (v - a.mean);
      }
    }
  }

  result(): ExperimentSummary {
    const tick = [...this.ticks].sort((a, b) => a - b);
    const summary: ExperimentSummary = {
      meta: {
        kind: 'lowloss-experiment-summary',
        version: 1,
        pairs: [...this.pairs].sort((a, b) => a - b),
        std: 'population (ddof 0)',
      },
      tick,
    };
    for (const [name, byTick] of this.acc) {
      const s: SeriesSummary = { mean: [], std: [], count: [] };
      for (const t of tick) {
        const a = byTick.get(t);
        s.mean.push(a ? a.mean : null);
        s.std.push(a ? Math.sqrt(Math.max(a.m2, 0) / a.n) : null);
        s.count.push(a?.n ?? 0);
      }
      summary[name] = s;
    }
    return summary;
  }
}

/** Summary of pairs given as point lists (index i is pair i + 1). */
export function summarise(pairs: readonly (readonly PathPoint[])[]): ExperimentSummary {
  const acc = new SummaryAccumulator();
  pairs.forEach((points, i) => acc.add(i + 1, points));
  return acc.result();
}

/** A series of the summary by name (throws when it is not one). */
export function seriesOf(summary: ExperimentSummary, name: string): SeriesSummary {
  const s = summary[name];
  if (!s || Array.isArray(s) || !('mean' in s)) throw new Error(`summary has no series "${name}"`);
  return s;
}

/** Series names of a summary (everything but `meta` and `tick`). */
export const seriesNames = (summary: ExperimentSummary): string[] =>
  Object.keys(summary).filter((k) => k !== 'meta' && k !== 'tick');

/** The paper's smoothing of Figures 2/3: a moving average over 10 recorded ticks (SPEC §10). */
export const PAPER_SMOOTHING_WINDOW = 10;

/**
 * Trailing moving average over the last `window` values (fewer at the start, like pandas'
 * `rolling(window, min_periods=1).mean()`); nulls are skipped, and a window of nulls gives null.
 * Apply it to `mean` and `std` alike for the paper's bands.
 */
export function movingAverage(values: readonly (number | null)[], window = PAPER_SMOOTHING_WINDOW): (number | null)[] {
  const out: (number | null)[] = [];
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null) {
      sum += v;
      n++;
    }
    const old = i >= window ? values[i - window] : null;
    if (old !== null) {
      sum -= old;
      n--;
    }
    out.push(n > 0 ? sum / n : null);
  }
  return out;
}
