import { describe, expect, it } from 'vitest';
import { presetFor } from '../../src/core/config';
import { pairRecordOf } from './fixtures';
import type { PairRecord } from '../../src/core/experiments/pairRun';
import { summarise } from '../../src/core/experiments/summary';
import type { PathPoint } from '../../src/core/llpf/pathPoint';
import {
  INITIAL_EXPERIMENTS,
  reduceExperiments,
  type ExperimentAction,
  type ExperimentRecord,
  type ExperimentsState,
} from '../../src/ui/experiments/experimentState';
import { formatDuration, overallProgress, pairEtaMs } from '../../src/ui/experiments/progress';
import { bandOf, forLogAxis, rankRows } from '../../src/ui/experiments/views';
import { planOf } from '../../src/ui/experiments/plan';
import type { DimensionalityFile } from '../../src/worker/experimentResults';

const record = (over: Partial<ExperimentRecord> = {}): ExperimentRecord => ({
  kind: 'lowloss-experiment-record',
  version: 1,
  id: 'e1',
  name: 'M2M × 3',
  createdAt: 1,
  plan: { mode: 'm2m', pairs: 3, epochs: 1, seedBase: 0, config: { ...presetFor('quick', 'm2m'), ticks: 10 } },
  preset: 'quick',
  workers: 2,
  status: 'new',
  pairsDone: 0,
  elapsedMs: 0,
  backend: null,
  ...over,
});
const pairRecord = (index: number, status: PairRecord['status'], ticksDone = 10): PairRecord =>
  pairRecordOf(index, status, ticksDone, { config: record().plan.config, pathMs: 1000 * index });
const run = (actions: ExperimentAction[], s: ExperimentsState = INITIAL_EXPERIMENTS) =>
  actions.reduce(reduceExperiments, s);

describe('experiments reducer', () => {
  it('starts, tracks pairs per tick, drops stale events, and finishes done', () => {
    let s = run([{ type: 'started', record: record(), runId: 'r1', now: 0 }]);
    expect(s.current?.status).toBe('running');
    expect(Object.values(s.pairs).map((p) => p.phase)).toEqual(['queued', 'queued', 'queued']);
    s = run(
      [
        { type: 'pairMessage', runId: 'r1', pair: 1, message: 'training endpoint seed 1 (1 epochs)' },
        { type: 'pairTick', runId: 'r1', pair: 1, tick: 0, total: 10, now: 1000, tensorBytes: 5 },
        { type: 'pairTick', runId: 'r1', pair: 1, tick: 4, total: 10, now: 3000, tensorBytes: 9 },
        { type: 'pairTick', runId: 'old', pair: 2, tick: 9, total: 10, now: 3000, tensorBytes: 99 },
      ],
      s,
    );
    expect(s.pairs[1]).toMatchObject({ phase: 'path', tick: 4, pathStartedAt: 1000 });
    expect(s.pairs[2].phase).toBe('queued'); // the stale run's tick is ignored
    expect(s.memory.tensorBytes).toBe(9);
    expect(pairEtaMs(s.pairs[1], 3000)).toBe(3000); // 500 ms per tick, 6 ticks left
    // Overall: pair 1 at 4/10, others at 0 → 4/30 done after 3 s → 19.5 s left.
    expect(overallProgress(s, 3000).etaMs).toBeCloseTo((3000 * (1 - 4 / 30)) / (4 / 30), 6);
    s = run(
      [1, 2, 3].map((k) => ({ type: 'pairDone', runId: 'r1', record: pairRecord(k, 'done') }) as ExperimentAction),
      s,
    );
    expect(s.current?.pairsDone).toBe(3);
    s = run([{ type: 'finished', runId: 'r1', now: 60_000 }], s);
    expect(s.current).toMatchObject({ status: 'done', elapsedMs: 60_000 });
    expect(s.runId).toBeNull();
    expect(s.saved.map((r) => [r.id, r.status])).toEqual([['e1', 'done']]);
  });

  it('pause, resume and stop; a stopped run keeps done pairs and marks the rest stopped', () => {
    let s = run([
      { type: 'started', record: record(), runId: 'r1', now: 0 },
      { type: 'paused', runId: 'r1' },
    ]);
    expect(s.current?.status).toBe('paused');
    s = run(
      [
        { type: 'resumed', runId: 'r1' },
        { type: 'pairDone', runId: 'r1', record: pairRecord(1, 'done') },
        { type: 'pairTick', runId: 'r1', pair: 2, tick: 3, total: 10, now: 10, tensorBytes: 1 },
        { type: 'stopRequested', runId: 'r1' },
      ],
      s,
    );
    expect(s.current?.status).toBe('stopping');
    s = run(
      [
        { type: 'pairDone', runId: 'r1', record: pairRecord(2, 'stopped', 3) },
        { type: 'finished', runId: 'r1', now: 5000 },
      ],
      s,
    );
    expect(s.current?.status).toBe('stopped');
    expect(Object.values(s.pairs).map((p) => p.phase)).toEqual(['done', 'stopped', 'stopped']);
    // Continue: a new run of the same experiment keeps pair 1 done, queues the others.
    s = run([{ type: 'started', record: s.current!, runId: 'r2', now: 6000 }], s);
    expect(Object.values(s.pairs).map((p) => p.phase)).toEqual(['done', 'queued', 'queued']);
    expect(s.current?.pairsDone).toBe(1);
    s = run([{ type: 'finished', runId: 'r2', now: 7000 }], s);
    expect(s.current?.elapsedMs).toBe(6000); // 5 s + 1 s
  });

  it('reopens a saved experiment: a record saved while running is stopped; pair files give the pairs', () => {
    const s = run([
      {
        type: 'opened',
        record: record({ status: 'running', pairsDone: 1 }),
        pairRecords: [pairRecord(1, 'done'), pairRecord(2, 'running', 4)],
        summary: null,
        pca: null,
        dim: null,
      },
    ]);
    expect(s.current?.status).toBe('stopped');
    expect(Object.values(s.pairs).map((p) => [p.phase, p.tick])).toEqual([
      ['done', 10],
      ['stopped', 4],
      ['queued', 0],
    ]);
    // A deleted current experiment goes when the list no longer has it.
    expect(run([{ type: 'savedListed', records: [] }], s).current).toBeNull();
  });

  it('dimensionality events belong to their own run', () => {
    let s = run([{ type: 'dimStarted', runId: 'd1', total: 8 }]);
    s = run([{ type: 'dimProgress', runId: 'd0', k: 5, total: 8, message: 'old' }], s);
    expect(s.dim).toMatchObject({ status: 'running', k: 0 });
    s = run([{ type: 'dimFailed', runId: 'd1', message: 'cancelled' }], s);
    expect(s.dim.status).toBe('failed');
    expect(s.errors).toEqual(['cancelled']);
    expect(run([{ type: 'dismissError', index: 0 }], s).errors).toEqual([]);
  });
});

const point = (tick: number, loss: number | null, acc: number | null): PathPoint =>
  ({
    tick,
    wallTimeMs: 0,
    rounds: 1,
    trainLossMovingAverage: loss,
    trainAccuracy: null,
    test: acc === null ? null : { loss: 0, accuracy: acc, samples: 10, subset: 'full' },
    trainEval: null,
    tensors: {},
    stepLength: {},
    timing: { tickMs: 0, sgdMs: 0 },
  }) as PathPoint;

describe('experiment views', () => {
  it('bands: mean ± std over the measured ticks, smoothed by the paper’s moving average of 10', () => {
    const pairs = [0, 1].map((k) =>
      Array.from({ length: 12 }, (_, t) => point(t, t === 0 ? null : t + k * 2, t % 5 === 0 ? 0.9 + k * 0.02 : null)),
    );
    const summary = summarise(pairs);
    const raw = bandOf(summary, 'trainLossMovingAverage', false)!;
    expect(raw.tick).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]); // tick 0 has no loss
    expect(raw.mean[0]).toBe(2); // (1 + 3) / 2
    expect(raw.upper[0] - raw.mean[0]).toBe(1); // population std of {1, 3}
    const smooth = bandOf(summary, 'trainLossMovingAverage', true)!;
    expect(smooth.mean[10]).toBeCloseTo((3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 12) / 10, 10); // ticks 2…11
    const acc = bandOf(summary, 'testAccuracy', false, 100)!;
    expect(acc.tick).toEqual([0, 5, 10]);
    expect(acc.mean[0]).toBeCloseTo(91, 10);
    expect(bandOf(summary, 'nothing', true)).toBeNull();
    const log = forLogAxis({ tick: [0], mean: [1], lower: [-1], upper: [3], count: [2] });
    expect(log.lower).toEqual([1e-3]);
  });

  it('rank table: the rank at the numerical threshold against min(K, d)', () => {
    const t = (rank: number, fullRank: number) => ({
      dims: 6,
      paths: 8,
      rank,
      fullRank,
      tolerance: 1e-9,
      singularValues: [3, 2, 1],
      effectiveRanks: [3],
    });
    const file = { tensors: { 'conv1.bias': t(6, 6), 'fc3.bias': t(5, 8) } } as unknown as DimensionalityFile;
    expect(rankRows(file).map((r) => [r.tensor, r.claimHolds, r.sigmaMax, r.sigmaMin])).toEqual([
      ['conv1.bias', true, 3, 1],
      ['fc3.bias', false, 3, 1],
    ]);
  });

  it('the plan keeps the preset but the form’s ticks; durations read as minutes and seconds', () => {
    const plan = planOf({ mode: 'm2o', pairs: 2, epochs: 0.5, preset: 'quick', seedBase: 7, ticks: 12, workers: 2 });
    expect(plan).toMatchObject({ mode: 'm2o', pairs: 2, epochs: 0.5, seedBase: 7 });
    expect(plan.config).toMatchObject({ ...presetFor('quick', 'm2o'), ticks: 12, mode: 'm2o' });
    expect([formatDuration(12_400), formatDuration(185_000), formatDuration(3_720_000), formatDuration(null)]).toEqual([
      '12 s',
      '3 min 05 s',
      '1 h 02 min',
      '—',
    ]);
  });
});
