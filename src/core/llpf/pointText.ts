/** Path points as text: the JSONL line (the CLI's points.jsonl, the app's export) and CSV rows. */
import {
  POINT_GROUPS,
  POINT_TENSORS,
  TENSOR_METRICS,
  halfSquare,
  type PathPoint,
  type TensorMetrics,
  type TestEval,
} from './pointFields';

/** The point in the schema's field order, so every writer produces the same bytes. */
function canonical(p: PathPoint, tensorNames: readonly string[], groupNames: readonly string[]): object {
  const test: TestEval | null = p.test
    ? { loss: p.test.loss, accuracy: p.test.accuracy, samples: p.test.samples, subset: p.test.subset }
    : null;
  const tensors = Object.fromEntries(
    tensorNames.map((n) => [n, Object.fromEntries(TENSOR_METRICS.map((m) => [m, p.tensors[n][m]]))]),
  );
  return {
    tick: p.tick,
    wallTimeMs: p.wallTimeMs,
    rounds: p.rounds,
    trainLossMovingAverage: p.trainLossMovingAverage,
    trainAccuracy: p.trainAccuracy,
    test,
    trainEval: p.trainEval
      ? { loss: p.trainEval.loss, accuracy: p.trainEval.accuracy, samples: p.trainEval.samples }
      : null,
    tensors,
    stepLength: Object.fromEntries(groupNames.map((g) => [g, p.stepLength[g] ?? 0])),
    timing: { tickMs: p.timing.tickMs, sgdMs: p.timing.sgdMs },
  };
}

/** One JSONL line (no newline). */
export function toJsonl(
  p: PathPoint,
  tensorNames: readonly string[] = POINT_TENSORS,
  groupNames: readonly string[] = POINT_GROUPS,
): string {
  return JSON.stringify(canonical(p, tensorNames, groupNames));
}

/** Points as a points.jsonl file (one line each, trailing newline). */
export function pointsToJsonl(
  points: Iterable<PathPoint>,
  tensorNames = POINT_TENSORS,
  groupNames = POINT_GROUPS,
): string {
  let out = '';
  for (const p of points) out += toJsonl(p, tensorNames, groupNames) + '\n';
  return out;
}

const isNum = (v: unknown): v is number => typeof v === 'number';
const numOr = (v: unknown, fallback: number): number => (isNum(v) ? v : v === null ? NaN : fallback);

/**
 * Parses one points.jsonl line into a point; `lineNo` (1-based) names the line in errors.
 * Accepts files written before `halfSqDistToDest`, `stepLength`, `timing`, `test.subset` or
 * `trainEval` existed (derived, marked unknown, or null).
 */
export function fromJsonl(line: string, lineNo = 1, tensorNames: readonly string[] = POINT_TENSORS): PathPoint {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`points.jsonl line ${lineNo} is not JSON`);
  }
  const t = raw?.tensors as Record<string, Record<string, unknown>> | undefined;
  if (!isNum(raw?.tick) || typeof t !== 'object' || !tensorNames.every((n) => t?.[n] && isNum(t[n].distToDest))) {
    throw new Error(`points.jsonl line ${lineNo} is not a LeNet5 path point`);
  }
  const tensors: Record<string, TensorMetrics> = {};
  for (const n of tensorNames) {
    const m = t[n];
    const d = m.distToDest as number;
    tensors[n] = {
      distToDest: d,
      halfSqDistToDest: isNum(m.halfSqDistToDest) ? m.halfSqDistToDest : halfSquare(d),
      distToOrigin: numOr(m.distToOrigin, NaN),
      variance: numOr(m.variance, NaN),
      cosineToStart: numOr(m.cosineToStart, NaN),
    };
  }
  const test = raw.test as Record<string, unknown> | null | undefined;
  const timing = (raw.timing ?? {}) as Record<string, unknown>;
  const trainEval = raw.trainEval as Record<string, unknown> | null | undefined;
  return {
    tick: raw.tick,
    wallTimeMs: numOr(raw.wallTimeMs, NaN),
    rounds: numOr(raw.rounds, 0),
    trainLossMovingAverage: isNum(raw.trainLossMovingAverage) ? raw.trainLossMovingAverage : null,
    trainAccuracy: isNum(raw.trainAccuracy) ? raw.trainAccuracy : null,
    test:
      test && isNum(test.accuracy)
        ? {
            loss: numOr(test.loss, NaN),
            accuracy: test.accuracy,
            samples: numOr(test.samples, 0),
            subset: typeof test.subset === 'string' ? test.subset : 'unknown',
          }
        : null,
    trainEval:
      trainEval && isNum(trainEval.loss)
        ? { loss: trainEval.loss, accuracy: numOr(trainEval.accuracy, NaN), samples: numOr(trainEval.samples, 0) }
        : null,
    tensors,
    stepLength: { ...((raw.stepLength ?? {}) as Record<string, number>) },
    timing: { tickMs: numOr(timing.tickMs, NaN), sgdMs: numOr(timing.sgdMs, NaN) },
  };
}

/** Parses a whole points.jsonl; empty lines are skipped, a bad line is named. */
export function pointsFromJsonl(text: string, tensorNames: readonly string[] = POINT_TENSORS): PathPoint[] {
  const points: PathPoint[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim()) points.push(fromJsonl(line, i + 1, tensorNames));
  });
  return points;
}

const SCALAR_HEADER = [
  'tick',
  'wall_time_ms',
  'rounds',
  'train_loss_moving_average',
  'train_accuracy',
  'test_loss',
  'test_accuracy',
  'test_samples',
  'test_subset',
  'train_eval_loss',
  'train_eval_accuracy',
  'train_eval_samples',
  'tick_ms',
  'sgd_ms',
];

/** CSV header: scalars, then one column per tensor metric and tensor (`metric:tensor`), then `stepLength:group`. */
export function csvHeader(tensorNames: readonly string[] = POINT_TENSORS, groupNames = POINT_GROUPS): string {
  const head = [...SCALAR_HEADER];
  for (const m of TENSOR_METRICS) for (const t of tensorNames) head.push(`${m}:${t}`);
  for (const g of groupNames) head.push(`stepLength:${g}`);
  return head.join(',');
}

const cell = (v: number | null | undefined): string =>
  v === null || v === undefined || Number.isNaN(v) ? '' : String(v);

/** One CSV row matching csvHeader (empty cell: not measured). */
export function csvRow(
  p: PathPoint,
  tensorNames: readonly string[] = POINT_TENSORS,
  groupNames = POINT_GROUPS,
): string {
  const r = [p.tick, p.wallTimeMs, p.rounds, p.trainLossMovingAverage, p.trainAccuracy, p.test?.loss, p.test?.accuracy]
    .map(cell)
    .concat([cell(p.test?.samples), p.test?.subset ?? ''])
    .concat([p.trainEval?.loss, p.trainEval?.accuracy, p.trainEval?.samples].map(cell))
    .concat([cell(p.timing.tickMs), cell(p.timing.sgdMs)]);
  for (const m of TENSOR_METRICS) for (const t of tensorNames) r.push(cell(p.tensors[t][m]));
  for (const g of groupNames) r.push(cell(p.stepLength[g]));
  return r.join(',');
}

/** Points as a CSV file with header (trailing newline). */
export function pointsToCsv(
  points: Iterable<PathPoint>,
  tensorNames = POINT_TENSORS,
  groupNames = POINT_GROUPS,
): string {
  let out = csvHeader(tensorNames, groupNames) + '\n';
  for (const p of points) out += csvRow(p, tensorNames, groupNames) + '\n';
  return out;
}
