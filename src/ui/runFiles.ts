/**
 * The UI's one place that knows the path-point format (SPEC §6) as text: the JSONL line the CLI writes
 * to points.jsonl (same fields, same order, so an export is the CLI's format), the CSV export, and
 * reading a points.jsonl back into a series. Issue #9 moves this schema into one core module; this
 * file is then the adapter between it and PathSeries.
 */
import { LENET5, LENET5_GROUPS } from '../core/model/spec';
import { PathSeries, TENSOR_METRICS, type SeriesColumns } from './pathSeries';

const TENSORS = LENET5.map((p) => p.name);
const GROUPS: string[] = [...LENET5_GROUPS];
const num = (v: number) => (Number.isNaN(v) ? null : v);

/** A point as the CLI writes it (the JSONL object). */
interface JsonPoint {
  tick: number;
  wallTimeMs: number;
  rounds: number;
  trainLossMovingAverage: number | null;
  trainAccuracy: number | null;
  test: { loss: number; accuracy: number; samples: number; subset: string } | null;
  tensors: Record<string, Record<string, number>>;
  stepLength: Record<string, number>;
  timing: { tickMs: number; sgdMs: number };
}

/** "full" for the whole test set, "first-N" for its first N images (the producers' subset label). */
const subsetLabel = (full: number, samples: number) => (full === 1 ? 'full' : `first-${samples}`);

/** Point i of a series as the JSONL object, keys in the CLI's order. */
export function pointAt(s: PathSeries, i: number): JsonPoint {
  const tensors: JsonPoint['tensors'] = {};
  for (const t of s.tensorNames) {
    const c = s.tensors.get(t)!;
    tensors[t] = Object.fromEntries(TENSOR_METRICS.map((m) => [m, c[m].data[i]]));
  }
  const accuracy = s.testAccuracy.data[i];
  const samples = s.testSamples.data[i];
  return {
    tick: s.tick.data[i],
    wallTimeMs: s.wallTimeMs.data[i],
    rounds: s.rounds.data[i],
    trainLossMovingAverage: num(s.trainLoss.data[i]),
    trainAccuracy: num(s.trainAccuracy.data[i]),
    test: Number.isNaN(accuracy)
      ? null
      : { loss: s.testLoss.data[i], accuracy, samples, subset: subsetLabel(s.testFull.data[i], samples) },
    tensors,
    stepLength: Object.fromEntries(s.groupNames.map((g) => [g, s.stepLength.get(g)!.data[i]])),
    timing: { tickMs: s.tickMs.data[i], sgdMs: s.sgdMs.data[i] },
  };
}

/** The run's points as JSON lines, the format of the CLI's points.jsonl. */
export function seriesToJsonl(s: PathSeries): string {
  const lines: string[] = [];
  for (let i = 0; i < s.length; i++) lines.push(JSON.stringify(pointAt(s, i)));
  return lines.join('\n') + '\n';
}

/** One row per tick, one column per metric and layer (like the reference's per-metric CSVs). */
export function seriesToCsv(s: PathSeries): string {
  const head = ['tick', 'wall_time_ms', 'rounds', 'train_loss_moving_average', 'train_accuracy'];
  head.push('test_loss', 'test_accuracy');
  for (const m of TENSOR_METRICS) for (const t of s.tensorNames) head.push(`${m}:${t}`);
  for (const g of s.groupNames) head.push(`stepLength:${g}`);
  const rows = [head.join(',')];
  const cell = (v: number) => (Number.isNaN(v) ? '' : String(v));
  const scalars = [s.tick, s.wallTimeMs, s.rounds, s.trainLoss, s.trainAccuracy, s.testLoss, s.testAccuracy];
  for (let i = 0; i < s.length; i++) {
    const r = scalars.map((c) => cell(c.data[i]));
    for (const m of TENSOR_METRICS) for (const t of s.tensorNames) r.push(cell(s.tensors.get(t)![m].data[i]));
    for (const g of s.groupNames) r.push(cell(s.stepLength.get(g)!.data[i]));
    rows.push(r.join(','));
  }
  return rows.join('\n') + '\n';
}

/** Parses one line; a clear error names the bad line. */
function parseLine(line: string, lineNo: number): JsonPoint {
  let p: JsonPoint;
  try {
    p = JSON.parse(line) as JsonPoint;
  } catch {
    throw new Error(`points.jsonl line ${lineNo} is not JSON`);
  }
  const tensorsOk =
    typeof p?.tensors === 'object' && TENSORS.every((t) => typeof p.tensors[t]?.distToDest === 'number');
  if (typeof p?.tick !== 'number' || !tensorsOk)
    throw new Error(`points.jsonl line ${lineNo} is not a LeNet5 path point`);
  return p;
}

/** JSONL points → columns, all in float64, so every number of the file survives (and exports unchanged). */
function toColumns(points: JsonPoint[]): SeriesColumns {
  const n = points.length;
  const col = (f: (p: JsonPoint) => number | null | undefined) => Float64Array.from(points, (p) => f(p) ?? NaN);
  const tensorMetrics = new Float64Array(n * TENSORS.length * 4);
  const stepLength = new Float64Array(n * GROUPS.length);
  points.forEach((p, i) => {
    TENSORS.forEach((t, k) =>
      TENSOR_METRICS.forEach((m, j) => (tensorMetrics[(i * TENSORS.length + k) * 4 + j] = p.tensors[t][m] ?? NaN)),
    );
    GROUPS.forEach((g, k) => (stepLength[i * GROUPS.length + k] = p.stepLength?.[g] ?? 0));
  });
  return {
    count: n,
    tick: col((p) => p.tick),
    wallTimeMs: col((p) => p.wallTimeMs),
    rounds: col((p) => p.rounds),
    trainLoss: col((p) => p.trainLossMovingAverage),
    trainAccuracy: col((p) => p.trainAccuracy),
    testLoss: col((p) => p.test?.loss),
    testAccuracy: col((p) => p.test?.accuracy),
    testSamples: col((p) => p.test?.samples ?? 0),
    // Files written before `subset` existed: unknown, derived from the sample count.
    testFull: col((p) => (p.test?.subset === undefined ? undefined : Number(p.test.subset === 'full'))),
    tensorMetrics,
    stepLength,
    tickMs: col((p) => p.timing?.tickMs),
    sgdMs: col((p) => p.timing?.sgdMs),
  };
}

/** Reads a points.jsonl (from the CLI or an export) into a series; a clear error names the bad line. */
export function jsonlToSeries(text: string, runId: string): PathSeries {
  const points: JsonPoint[] = [];
  text.split('\n').forEach((line, i) => line.trim() && points.push(parseLine(line, i + 1)));
  if (!points.length) throw new Error('points.jsonl holds no points');
  const series = new PathSeries(runId, TENSORS, GROUPS);
  series.append(toColumns(points));
  return series;
}
