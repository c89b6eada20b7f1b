/**
 * The adapter between the path-point schema (src/core/llpf/pathPoint.ts, the one module that knows the
 * point's fields, JSONL line and CSV header) and the UI's PathSeries: an export goes series → points →
 * the schema's writers, so it is byte for byte the CLI's points.jsonl; an opened file goes the other way.
 */
import { LENET5, LENET5_GROUPS } from '../core/model/spec';
import {
  TEST_SUBSET_KINDS,
  halfSquare,
  packPoints,
  pointsFromJsonl,
  pointsToCsv,
  pointsToJsonl,
  type PathPoint,
  type TensorMetrics,
} from '../core/llpf/pathPoint';
import { PathSeries, TENSOR_METRICS } from './pathSeries';

const TENSORS = LENET5.map((p) => p.name);
const GROUPS: string[] = [...LENET5_GROUPS];
const orNull = (v: number) => (Number.isNaN(v) ? null : v);

/** The test subset label of a code and a sample count ("full", "first-N", "random-N", "unknown"). */
function subsetLabel(code: number, samples: number): string {
  const kind = TEST_SUBSET_KINDS[code] ?? 'unknown';
  return kind === 'full' || kind === 'unknown' ? kind : `${kind}-${samples}`;
}

/** Point i of a series as the schema's PathPoint. */
export function pointAt(s: PathSeries, i: number): PathPoint {
  const tensors: Record<string, TensorMetrics> = {};
  for (const t of s.tensorNames) {
    const c = s.tensors.get(t)!;
    const [distToDest, distToOrigin, variance, cosineToStart] = TENSOR_METRICS.map((m) => c[m].data[i]);
    tensors[t] = { distToDest, halfSqDistToDest: halfSquare(distToDest), distToOrigin, variance, cosineToStart };
  }
  const accuracy = s.testAccuracy.data[i];
  const samples = s.testSamples.data[i];
  const trainEvalLoss = s.trainEvalLoss.data[i];
  return {
    tick: s.tick.data[i],
    wallTimeMs: s.wallTimeMs.data[i],
    rounds: s.rounds.data[i],
    trainLossMovingAverage: orNull(s.trainLoss.data[i]),
    trainAccuracy: orNull(s.trainAccuracy.data[i]),
    test: Number.isNaN(accuracy)
      ? null
      : { loss: s.testLoss.data[i], accuracy, samples, subset: subsetLabel(s.testSubset.data[i], samples) },
    trainEval: Number.isNaN(trainEvalLoss)
      ? null
      : { loss: trainEvalLoss, accuracy: s.trainEvalAccuracy.data[i], samples: s.trainEvalSamples.data[i] },
    tensors,
    stepLength: Object.fromEntries(s.groupNames.map((g) => [g, s.stepLength.get(g)!.data[i]])),
    timing: { tickMs: s.tickMs.data[i], sgdMs: s.sgdMs.data[i] },
  };
}

function* pointsOf(s: PathSeries): Generator<PathPoint> {
  for (let i = 0; i < s.length; i++) yield pointAt(s, i);
}

/** The run's points as JSON lines: the format of the CLI's points.jsonl (the schema's writer). */
export function seriesToJsonl(s: PathSeries): string {
  return pointsToJsonl(pointsOf(s), s.tensorNames, s.groupNames);
}

/** The run's points as the schema's CSV (one row per tick, one column per metric and tensor). */
export function seriesToCsv(s: PathSeries): string {
  return pointsToCsv(pointsOf(s), s.tensorNames, s.groupNames);
}

/** Reads a points.jsonl (from the CLI or an export) into a series; a clear error names the bad line. */
export function jsonlToSeries(text: string, runId: string): PathSeries {
  const points = pointsFromJsonl(text, TENSORS);
  if (!points.length) throw new Error('points.jsonl holds no points');
  const series = new PathSeries(runId, TENSORS, GROUPS);
  series.append(packPoints(points, TENSORS, GROUPS));
  return series;
}
