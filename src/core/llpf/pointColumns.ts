/** Packed column layout of path points (for transfer between threads and for plotting). */
import {
  PACKED_TENSOR_METRICS,
  POINT_GROUPS,
  POINT_TENSORS,
  SCALAR_COLUMNS,
  TEST_SUBSET_KINDS,
  halfSquare,
  type PathPoint,
  type PointColumns,
  type ScalarColumn,
  type TensorMetric,
  type TensorMetrics,
} from './pointFields';

const M = PACKED_TENSOR_METRICS.length;
/** Test images in MNIST's test split (old stored runs without `testSubset`: all of them means "full"). */
const MNIST_TEST_COUNT = 10000;

/** A subset label as an index into TEST_SUBSET_KINDS. */
function subsetCode(subset: string, samples: number): number {
  if (subset === 'full') return 0;
  const [kind, n] = subset.split('-');
  const i = TEST_SUBSET_KINDS.indexOf(kind as (typeof TEST_SUBSET_KINDS)[number]);
  return i > 0 && i < 3 && Number(n) === samples ? i : 3;
}

/** The subset label of a code (old stored runs without the column: "full" when all 10,000 images). */
function subsetLabel(code: number | undefined, samples: number): string {
  if (code === undefined) return samples >= MNIST_TEST_COUNT ? 'full' : `first-${samples}`;
  const kind = TEST_SUBSET_KINDS[code] ?? 'unknown';
  return kind === 'full' || kind === 'unknown' ? kind : `${kind}-${samples}`;
}

const nanIfNull = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);
const nullIfNaN = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** The value of one scalar column for a point. */
function scalarOf(p: PathPoint, c: ScalarColumn): number {
  switch (c) {
    case 'tick':
      return p.tick;
    case 'wallTimeMs':
      return p.wallTimeMs;
    case 'rounds':
      return p.rounds;
    case 'trainLoss':
      return nanIfNull(p.trainLossMovingAverage);
    case 'trainAccuracy':
      return nanIfNull(p.trainAccuracy);
    case 'testLoss':
      return nanIfNull(p.test?.loss);
    case 'testAccuracy':
      return nanIfNull(p.test?.accuracy);
    case 'testSamples':
      return p.test?.samples ?? 0;
    case 'testSubset':
      return p.test ? subsetCode(p.test.subset, p.test.samples) : NaN;
    case 'trainEvalLoss':
      return nanIfNull(p.trainEval?.loss);
    case 'trainEvalAccuracy':
      return nanIfNull(p.trainEval?.accuracy);
    case 'trainEvalSamples':
      return p.trainEval?.samples ?? 0;
    case 'tickMs':
      return p.timing.tickMs;
    case 'sgdMs':
      return p.timing.sgdMs;
    default: {
      const never: never = c;
      throw new Error(`unknown column ${String(never)}`);
    }
  }
}

/** Points → columns, tensors and groups in the given order (the run's `tensorNames`/`groupNames`). */
export function packPoints(
  points: readonly PathPoint[],
  tensorNames: readonly string[] = POINT_TENSORS,
  groupNames: readonly string[] = POINT_GROUPS,
): PointColumns {
  const n = points.length;
  const T = tensorNames.length;
  const G = groupNames.length;
  const scalars = Object.fromEntries(SCALAR_COLUMNS.map((c) => [c, Float64Array.from(points, (p) => scalarOf(p, c))]));
  const tensorMetrics = new Float32Array(n * T * M);
  const stepLength = new Float32Array(n * G);
  points.forEach((p, i) => {
    tensorNames.forEach((name, t) => {
      const m = p.tensors[name];
      PACKED_TENSOR_METRICS.forEach((k, j) => (tensorMetrics[(i * T + t) * M + j] = m[k]));
    });
    groupNames.forEach((g, k) => (stepLength[i * G + k] = p.stepLength[g] ?? 0));
  });
  return { count: n, ...(scalars as Record<ScalarColumn, Float64Array>), tensorMetrics, stepLength };
}

/** The buffers of a columns object, to transfer with postMessage. */
export function columnBuffers(c: PointColumns): ArrayBuffer[] {
  return Object.values(c)
    .filter((v): v is Float32Array | Float64Array => ArrayBuffer.isView(v))
    .map((v) => v.buffer as ArrayBuffer);
}

/** One tensor metric over all points of a columns object (derived metrics computed here). */
export function tensorMetricColumn(
  c: PointColumns,
  tensorIndex: number,
  metric: TensorMetric,
  tensorCount: number = POINT_TENSORS.length,
): Float64Array {
  const base = metric === 'halfSqDistToDest' ? 'distToDest' : metric;
  const j = PACKED_TENSOR_METRICS.indexOf(base);
  const out = new Float64Array(c.count);
  for (let i = 0; i < c.count; i++) out[i] = c.tensorMetrics[(i * tensorCount + tensorIndex) * M + j];
  return metric === 'halfSqDistToDest' ? out.map(halfSquare) : out;
}

/** The fixed-train-subset evaluation of point i (null when not measured, or columns from before it existed). */
function trainEvalAt(c: PointColumns, i: number): PathPoint['trainEval'] {
  const loss = c.trainEvalLoss?.[i];
  if (loss === undefined || Number.isNaN(loss)) return null;
  return { loss, accuracy: c.trainEvalAccuracy![i], samples: c.trainEvalSamples![i] };
}

/** Columns → points (inverse of packPoints; exact for every field). */
export function unpackPoints(
  c: PointColumns,
  tensorNames: readonly string[] = POINT_TENSORS,
  groupNames: readonly string[] = POINT_GROUPS,
): PathPoint[] {
  const T = tensorNames.length;
  const G = groupNames.length;
  const points: PathPoint[] = [];
  for (let i = 0; i < c.count; i++) {
    const tensors: Record<string, TensorMetrics> = {};
    tensorNames.forEach((name, t) => {
      const o = (i * T + t) * M;
      const [distToDest, distToOrigin, variance, cosineToStart] = c.tensorMetrics.subarray(o, o + M);
      tensors[name] = { distToDest, halfSqDistToDest: halfSquare(distToDest), distToOrigin, variance, cosineToStart };
    });
    const samples = c.testSamples[i];
    points.push({
      tick: c.tick[i],
      wallTimeMs: c.wallTimeMs[i],
      rounds: c.rounds[i],
      trainLossMovingAverage: nullIfNaN(c.trainLoss[i]),
      trainAccuracy: nullIfNaN(c.trainAccuracy[i]),
      test: Number.isNaN(c.testAccuracy[i])
        ? null
        : {
            loss: c.testLoss[i],
            accuracy: c.testAccuracy[i],
            samples,
            subset: subsetLabel(c.testSubset?.[i], samples),
          },
      trainEval: trainEvalAt(c, i),
      tensors,
      stepLength: Object.fromEntries(groupNames.map((g, k) => [g, c.stepLength[i * G + k]])),
      timing: { tickMs: c.tickMs[i], sgdMs: c.sgdMs[i] },
    });
  }
  return points;
}
