import { describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import { createEvalSet } from '../../../src/core/data/batches';
import { takeSplit } from '../../../src/core/data/mnist';
import { drain } from '../../../src/core/baselines/pathEval';
import { landscapePlane, planeAxes, planeBasis, projectOntoPlane } from '../../../src/core/baselines/plane';
import { distance, dot, flatten } from '../../../src/core/baselines/flat';
import { initLenet5Host } from '../../../src/core/model/lenet5';
import { mnist } from '../../helpers';
import { hostLoss, mix, modelA, modelB } from './fixtures';

describe('landscape plane through A, B, C (SPEC §9)', () => {
  const A = modelA();
  const B = modelB();
  const C = mix([
    [0.5, A],
    [0.5, B],
    [0.3, initLenet5Host(9)],
  ]);

  it('u, v are orthonormal; A, B, C project to (0,0), (d,0), (cx,h) at distance 0', () => {
    const basis = planeBasis(A, B, C);
    expect(dot(basis.u, basis.u)).toBeCloseTo(1, 5);
    expect(dot(basis.v, basis.v)).toBeCloseTo(1, 5);
    expect(Math.abs(dot(basis.u, basis.v))).toBeLessThan(1e-5);
    expect(basis.d).toBeCloseTo(distance(flatten(A), flatten(B)), 4);
    const [pa, pb, pc] = [A, B, C].map((m) => projectOntoPlane(basis, m));
    expect([pa.x, pa.y]).toEqual([0, 0]);
    expect(pb.x).toBeCloseTo(basis.d, 3);
    expect(pb.y).toBeCloseTo(0, 3);
    expect(pc.y).toBeCloseTo(basis.h, 3);
    for (const p of [pa, pb, pc]) expect(p.distance).toBeLessThan(1e-2);
    // A model off the plane: its distance is the norm of the part outside span(u, v).
    const far = projectOntoPlane(basis, initLenet5Host(4));
    expect(far.distance).toBeGreaterThan(1);
    expect(() =>
      planeBasis(
        A,
        B,
        mix([
          [0.5, A],
          [0.5, B],
        ]),
      ),
    ).toThrow(/line/);
  });

  it('grid losses equal a direct evaluation of A + x·u + y·v; axes span the margin', async () => {
    const basis = planeBasis(A, B, C);
    const { x, y } = planeAxes(basis, 3, 0.2);
    expect(x[0]).toBeCloseTo(-0.2 * basis.d, 6);
    expect(x[2]).toBeCloseTo(1.2 * basis.d, 6);
    expect(y[0]).toBeCloseTo(-0.2 * basis.h, 6);
    expect(y[2]).toBeCloseTo(1.2 * basis.h, 6);
    const set = createEvalSet(takeSplit(mnist().train, 200));
    const baseline = tf.memory().numTensors;
    const rows: number[] = [];
    const { plane } = await drain(
      landscapePlane(A, B, C, set, { grid: 3, margin: 0.2 }),
      (e) => e.type === 'row' && rows.push(e.iy),
    );
    expect(tf.memory().numTensors).toBe(baseline);
    set.dispose();
    expect(rows).toEqual([0, 1, 2]);
    expect(plane.samples).toBe(200);
    expect(plane.points.A).toEqual([0, 0]);
    expect(plane.points.B[0]).toBeCloseTo(basis.d, 6);
    // Independent point: the grid direction rebuilt per tensor from A, B, C.
    const ab = mix([
      [1, B],
      [-1, A],
    ]);
    const ac = mix([
      [1, C],
      [-1, A],
    ]);
    for (const [iy, ix] of [
      [0, 0],
      [1, 2],
      [2, 1],
    ]) {
      const a = x[ix] / basis.d - (y[iy] * basis.cx) / (basis.h * basis.d);
      const model = mix([
        [1, A],
        [a, ab],
        [y[iy] / basis.h, ac],
      ]);
      expect(plane.trainLoss[iy][ix]).toBeCloseTo(hostLoss(model, mnist().train, 200).loss, 3);
    }
  });
});
