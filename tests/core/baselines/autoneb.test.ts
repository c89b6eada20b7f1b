import { describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import { createBatchSource, createEvalSet } from '../../../src/core/data/batches';
import { takeSplit } from '../../../src/core/data/mnist';
import { autoNeb, chainLength, chainPath, type AutoNebEvent } from '../../../src/core/baselines/autoneb';
import { drain } from '../../../src/core/baselines/pathEval';
import { distance, flatten } from '../../../src/core/baselines/flat';
import { maxAbsDiff, mnist } from '../../helpers';
import { mix, modelA, modelB } from './fixtures';

describe('AutoNEB (Draxler et al. 2018, SPEC §9)', () => {
  const A = modelA();
  const B = modelB();

  it('relaxes interior pivots, inserts where the loss is highest, keeps the ends, frees every tensor', async () => {
    const batches = createBatchSource(takeSplit(mnist().train, 640), { batchSize: 32, seed: 2 });
    const insertSet = createEvalSet(takeSplit(mnist().train, 200));
    const baseline = tf.memory().numTensors;
    const events: AutoNebEvent[] = [];
    const done = await drain(
      autoNeb(A, B, batches, insertSet, { pivots: 1, cycles: 2, stepsPerCycle: 2, reportEvery: 1 }),
      (e) => events.push(e),
    );
    expect(tf.memory().numTensors).toBe(baseline);
    expect(events.map((e) => e.type)).toEqual(['relax', 'relax', 'insert', 'relax', 'relax', 'done']);
    const insert = events[2] as Extract<AutoNebEvent, { type: 'insert' }>;
    expect(insert.pivots).toBe(4);
    expect(insert.pivotLoss).toHaveLength(3);
    // The line's loss peaks at t = ½, where the one pivot sits: a segment next to it gets the new one.
    expect([0, 1]).toContain(insert.segment);
    expect(done.pivots).toHaveLength(4);
    expect(done.sgdSteps).toBe(2 * 1 + 2 * 2);
    expect(maxAbsDiff(flatten(done.pivots[0]), flatten(A))).toBe(0);
    expect(maxAbsDiff(flatten(done.pivots[3]), flatten(B))).toBe(0);
    // The relaxed middle pivot moved off the line.
    expect(
      distance(
        flatten(done.pivots[insert.segment === 0 ? 2 : 1]),
        flatten(
          mix([
            [0.5, A],
            [0.5, B],
          ]),
        ),
      ),
    ).toBeGreaterThan(0);
    batches.dispose();
    insertSet.dispose();
  });

  it('chainPath walks the pivots by arc length; chainLength sums the segments', () => {
    const mid = mix([
      [0.5, A],
      [0.5, B],
    ]);
    const pivots = [A, mid, B];
    expect(chainLength(pivots)).toBeCloseTo(distance(flatten(A), flatten(B)), 3);
    const path = chainPath(pivots);
    expect(maxAbsDiff(path(0), flatten(A))).toBe(0);
    expect(maxAbsDiff(path(1), flatten(B))).toBeLessThan(1e-6);
    expect(
      maxAbsDiff(
        path(0.25),
        flatten(
          mix([
            [0.75, A],
            [0.25, B],
          ]),
        ),
      ),
    ).toBeLessThan(1e-5);
  });
});
