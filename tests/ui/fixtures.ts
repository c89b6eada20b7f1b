import type { PairRecord } from '../../src/core/experiments/pairRun';
import type { FromWorker, PointColumns } from '../../src/worker/protocol';
import type { RunView } from '../../src/ui/state/uiState';
import { presetFor } from '../../src/core/config';

/** A run view as the bridge dispatches it. */
export function runView(runId: string, over: Partial<RunView> = {}): RunView {
  const config = presetFor('quick', 'm2o');
  return {
    runId,
    config,
    state: 'starting',
    totalTicks: config.ticks,
    lastTick: 0,
    ticksPerSecond: 0,
    stepsPerSecond: 0,
    resumedFrom: null,
    storeId: runId,
    ...over,
  };
}

/** Columns of ticks `from` … `to` (one tensor, one group), NaN test metrics except where `evalEvery` divides. */
export function columns(from: number, to: number, evalEvery = 0): PointColumns {
  const n = to - from + 1;
  // Scalars as float64 (the point schema's layout); the cast keeps this fixture independent of it.
  const f32 = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
  const evaluated = (i: number) => evalEvery > 0 && (from + i) % evalEvery === 0;
  return {
    count: n,
    tick: Float64Array.from({ length: n }, (_, i) => from + i),
    wallTimeMs: Float64Array.from({ length: n }, (_, i) => (from + i) * 10),
    rounds: f32(() => 0),
    trainLoss: f32(() => NaN),
    trainAccuracy: f32(() => NaN),
    testLoss: f32((i) => (evaluated(i) ? 0.1 : NaN)),
    testAccuracy: f32((i) => (evaluated(i) ? 0.9 : NaN)),
    testSamples: f32((i) => (evaluated(i) ? 1000 : 0)),
    tensorMetrics: Float32Array.from({ length: n * 4 }, (_, k) => k),
    stepLength: f32(() => 0.5),
    tickMs: f32(() => 1),
    sgdMs: f32(() => 0),
  } as unknown as PointColumns;
}

/** A worker event without its protocol version, for brevity. */
export type Event = FromWorker extends infer T ? (T extends unknown ? Omit<T, 'v'> : never) : never;
export const ev = (event: Event) => ({ type: 'worker' as const, event: { v: 1, ...event } as FromWorker });

/** A pair's pair.json record (SPEC §10): pair k joins seeds 2k − 1 → 2k; `over` sets the rest. */
export function pairRecordOf(
  index: number,
  status: PairRecord['status'],
  ticksDone: number,
  over: Partial<PairRecord> = {},
): PairRecord {
  return {
    kind: 'lowloss-pair',
    version: 1,
    index,
    startSeed: 2 * index - 1,
    destSeed: 2 * index,
    start: '',
    dest: null,
    config: {} as PairRecord['config'],
    status,
    ticksDone,
    pathMs: 0,
    ...over,
  };
}
