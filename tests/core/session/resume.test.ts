import { describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import { presetFor, validateConfig, type RunConfig } from '../../../src/core/config';
import { takeSplit, type Mnist } from '../../../src/core/data/mnist';
import { readPathCheckpoint, writePathCheckpoint } from '../../../src/core/io/checkpoint';
import type { StreamCursor } from '../../../src/core/llpf/pathContext';
import type { PathPoint } from '../../../src/core/llpf/pathPoint';
import { initLenet5Host, toHost, type HostParams } from '../../../src/core/model/lenet5';
import { createPathSession, type PathResume } from '../../../src/core/session/pathSession';
import { mnist } from '../../helpers';

const small = (): Mnist => ({ train: takeSplit(mnist().train, 2000), test: takeSplit(mnist().test, 300) });

/** What must be bit-identical: everything but wall-clock times. */
const comparable = (p: PathPoint) => ({ ...p, wallTimeMs: 0, timing: null });

/** Runs a path (fresh or resumed); returns its points, the checkpoint bytes it wrote and P at the end. */
async function run(config: RunConfig, data: Mnist, resume?: PathResume) {
  const start = initLenet5Host(1);
  const dest = config.mode === 'm2m' ? initLenet5Host(2) : null;
  const r = createPathSession({ config, start, dest, mnist: data, resume, checkpointEvery: config.ticks / 2 });
  const points: PathPoint[] = [];
  const checkpoints = new Map<number, Uint8Array>();
  r.session.on((e) => {
    if (e.type === 'point') points.push(e.point);
    if (e.type === 'checkpoint') checkpoints.set(e.checkpoint.tick, writePathCheckpoint(e.checkpoint));
  });
  expect(await r.session.run()).toBe('done');
  const final = await toHost(r.state.current);
  r.dispose();
  return { points, checkpoints, final };
}

/** A checkpoint "reloaded": only its bytes survive. */
function reload(bytes: Uint8Array): PathResume {
  const cp = readPathCheckpoint(bytes);
  expect(cp.cursor).not.toBeNull();
  return { tick: cp.tick, params: cp.params, cursor: cp.cursor as StreamCursor };
}

function expectSameParams(a: HostParams, b: HostParams) {
  for (const [name, v] of a) expect(Buffer.from(b.get(name)!.buffer).equals(Buffer.from(v.buffer)), name).toBe(true);
}

const base = (over: Partial<RunConfig>): RunConfig =>
  validateConfig({
    ...presetFor('paper', over.mode ?? 'm2m'),
    ...{ ticks: 8, stepF: 0.05, stepA: 0, roundsMin: 2, roundsMax: 4, threshold: 0.05, batch: 32, seed: 3 },
    ...{ evalEvery: 3, evalSubset: 100, snapshotEvery: 0, augment: false, batchMode: 'fixed' },
    ...over,
  });

describe('exact resume: N ticks straight = N/2, checkpoint, reload, N/2', () => {
  const cases: Array<[string, Partial<RunConfig>]> = [
    ['M2M, fixed batches', {}],
    ['M2M, reference batches (reshuffle every tick) on augmented images', { batchMode: 'reference', augment: true }],
    // A threshold no tick meets: the adaptive multiplier halves every tick, so it must travel in the checkpoint.
    ['M2M, steps together, adaptive step', { groupSteps: 'together', adaptive: true, roundsMax: 2, threshold: 1e-6 }],
    ['M2O with AngleConformal, up to 6 rounds', { mode: 'm2o', stepF: 0, stepA: 0.01, roundsMax: 6, threshold: 0.02 }],
  ];
  for (const [name, over] of cases) {
    it(name, async () => {
      const config = base(over);
      const data = small();
      const before = tf.memory().numTensors;
      const straight = await run(config, data);
      expect(straight.points.map((p) => p.tick)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      expect(straight.points.slice(1).some((p) => p.rounds > 0)).toBe(true);
      const resumed = await run(config, data, reload(straight.checkpoints.get(4)!));
      expect(resumed.points.map((p) => p.tick)).toEqual([5, 6, 7, 8]);
      expect(resumed.points.map(comparable)).toEqual(straight.points.slice(5).map(comparable));
      expectSameParams(straight.final, resumed.final);
      if (!over.mode) {
        // The test has teeth: without the stream cursor the continuation differs.
        const inexact = await run(config, data, { ...reload(straight.checkpoints.get(4)!), cursor: null });
        expect(inexact.points.map(comparable)).not.toEqual(straight.points.slice(5).map(comparable));
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
