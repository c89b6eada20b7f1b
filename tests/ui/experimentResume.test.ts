import { describe, expect, it } from 'vitest';
import { presetFor } from '../../src/core/config';
import type { ExperimentPlan } from '../../src/core/experiments/experiment';
import { pairRecordOf } from './fixtures';
import type { PairRecord } from '../../src/core/experiments/pairRun';
import { interruptedMessage, pairsToRun, settledWhileLeaving } from '../../src/ui/experiments/experimentResume';
import {
  INITIAL_EXPERIMENTS,
  reduceExperiments,
  type ExperimentRecord,
} from '../../src/ui/experiments/experimentState';

const plan: ExperimentPlan = {
  mode: 'm2m',
  pairs: 5,
  epochs: 1,
  seedBase: 0,
  config: { ...presetFor('quick', 'm2m'), ticks: 10 },
};
const record: ExperimentRecord = {
  kind: 'lowloss-experiment-record',
  version: 1,
  id: 'e1',
  name: 'M2M × 5',
  createdAt: 1,
  plan,
  preset: 'quick',
  workers: 2,
  status: 'running',
  pairsDone: 1,
  elapsedMs: 0,
  backend: null,
};
const pairRecord = (index: number, status: PairRecord['status'], ticksDone: number, error?: string): PairRecord =>
  pairRecordOf(index, status, ticksDone, { config: plan.config, ...(error ? { error } : {}) });

describe('resuming an experiment after the page went away (issue #15)', () => {
  it('reopens every pair as its pair.json left it; Continue runs all but the done ones', () => {
    // The page was reloaded while pair 2 ran; pair 3 was stopped, pair 4 failed (NaN), pair 5 never started
    // (a pair whose MNIST download failed has no pair.json).
    const s = reduceExperiments(INITIAL_EXPERIMENTS, {
      type: 'opened',
      record,
      pairRecords: [
        pairRecord(1, 'done', 10),
        pairRecord(2, 'running', 4),
        pairRecord(3, 'stopped', 6),
        pairRecord(4, 'failed', 7, 'loss is NaN at tick 7'),
      ],
      summary: null,
      pca: null,
      dim: null,
    });
    expect(s.current?.status).toBe('stopped');
    expect(Object.values(s.pairs).map((p) => [p.phase, p.tick, p.error ?? p.message])).toEqual([
      ['done', 10, 'done at tick 10'],
      ['stopped', 4, interruptedMessage(4)],
      ['stopped', 6, 'stopped at tick 6'],
      ['failed', 7, 'loss is NaN at tick 7'], // a real failure still shows as failed, with its message
      ['queued', 0, ''],
    ]);
    expect(pairsToRun(plan, s.pairs).map((p) => [p.index, p.startSeed, p.destSeed])).toEqual([
      [2, 3, 4],
      [3, 5, 6],
      [4, 7, 8],
      [5, 9, 10],
    ]);
    // Continue: the done pair stays done, the rest are queued again.
    const c = reduceExperiments(s, { type: 'started', record: s.current!, runId: 'r2', now: 0 });
    expect(Object.values(c.pairs).map((p) => p.phase)).toEqual(['done', 'queued', 'queued', 'queued', 'queued']);
    expect(pairsToRun(plan, c.pairs).map((p) => p.index)).toEqual([2, 3, 4, 5]);
  });

  it('a pair that fails while the page goes away is stopped, not failed; a done one stays done', () => {
    const failed = pairRecord(3, 'failed', 0, 'Failed to fetch');
    const r = settledWhileLeaving(failed);
    expect(r).toMatchObject({ index: 3, status: 'stopped', ticksDone: 0 });
    expect(r.error).toBe('interrupted: the page was going away (Failed to fetch)');
    const done = pairRecord(1, 'done', 10);
    expect(settledWhileLeaving(done)).toBe(done);
    // The experiment then ends stopped (Continue offered), not failed.
    let s = reduceExperiments(INITIAL_EXPERIMENTS, { type: 'started', record, runId: 'r1', now: 0 });
    s = reduceExperiments(s, { type: 'pairDone', runId: 'r1', record: r });
    s = reduceExperiments(s, { type: 'finished', runId: 'r1', now: 1 });
    expect(s.pairs[3]).toMatchObject({ phase: 'stopped', error: r.error });
    expect(s.current?.status).toBe('stopped');
  });
});
