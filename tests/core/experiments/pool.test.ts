import { describe, expect, it } from 'vitest';
import { pairSpecs, type PairSpec } from '../../../src/core/experiments/experiment';
import {
  runPairPool,
  servePairs,
  type FromPairWorker,
  type PairWorker,
  type ToPairWorker,
} from '../../../src/core/experiments/pool';
import type { PairRecord } from '../../../src/core/experiments/pairRun';
import { presetFor } from '../../../src/core/config';

const pairs = pairSpecs({ mode: 'm2m', pairs: 5, epochs: 1, seedBase: 0, config: presetFor('quick', 'm2m') });
const record = (p: PairSpec): PairRecord => ({
  kind: 'lowloss-pair',
  version: 1,
  index: p.index,
  startSeed: p.startSeed,
  destSeed: p.destSeed,
  start: '',
  dest: null,
  config: p.config,
  status: 'done',
  ticksDone: 3,
  pathMs: 1,
});

/** An in-process worker: servePairs over a fake pair runner (pair 4 throws; `die` kills the worker on that pair). */
function fakeWorker(log: number[][], id: number, die?: number): PairWorker {
  let listener: (m: FromPairWorker) => void = () => {};
  let exit: (e: Error) => void = () => {};
  const handle = servePairs(
    (m) => setTimeout(() => listener(m), 1),
    async (pair, _epochs, hooks) => {
      log[id].push(pair.index);
      if (pair.index === die) {
        setTimeout(() => exit(new Error('worker exited (code 1)')), 1);
        return new Promise<PairRecord>(() => {});
      }
      if (pair.index === 4) throw new Error('bad pair');
      hooks.onTick?.(pair.index, 3, 3);
      return record(pair);
    },
  );
  return {
    post: (m: ToPairWorker) => handle(m),
    onMessage: (l) => (listener = l),
    onExit: (l) => (exit = l),
    terminate: () => undefined,
  };
}

describe('pair pool', () => {
  it('runs every pair once on the workers, in parallel, and reports failures per pair', async () => {
    const log: number[][] = [[], []];
    let n = 0;
    const ticks: number[] = [];
    const done: number[] = [];
    const pool = runPairPool(pairs, 1, () => fakeWorker(log, n++), 2, {
      onTick: (p) => ticks.push(p),
      onDone: (r) => done.push(r.index),
    });
    const records = await pool.done;
    expect(records.map((r) => [r.index, r.status])).toEqual([
      [1, 'done'],
      [2, 'done'],
      [3, 'done'],
      [4, 'failed'],
      [5, 'done'],
    ]);
    expect(records[3].error).toBe('bad pair');
    expect([...log[0], ...log[1]].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(log[0].length).toBeGreaterThan(0);
    expect(log[1].length).toBeGreaterThan(0);
    expect(ticks.sort()).toEqual([1, 2, 3, 5]);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('starts one worker per pair when there are no more pairs than threads', async () => {
    const log: number[][] = [[], []];
    let n = 0;
    const records = await runPairPool(pairs.slice(0, 2), 1, () => fakeWorker(log, n++), 2).done;
    expect(records.map((r) => r.status)).toEqual(['done', 'done']);
    expect(n).toBe(2);
    expect(log).toEqual([[1], [2]]);
  });

  it('a worker that dies fails its pair; the others carry on', async () => {
    const log: number[][] = [[], []];
    let n = 0;
    const records = await runPairPool(pairs.slice(0, 3), 1, () => fakeWorker(log, n, n++ === 0 ? 1 : undefined), 2)
      .done;
    expect(records.map((r) => r.status)).toEqual(['failed', 'done', 'done']);
    expect(records[0].error).toMatch(/exited/);
  });
});
