import type { HostParams } from '../model/lenet5';
import type { EvalSet } from '../data/batches';
import { evaluate } from '../train/evaluate';
import { combine, dot, flatten, unflatten } from './flat';
import { Probe } from './pathEval';

/**
 * The landscape plane through A, B and C (SPEC §9): u = (B−A)/‖B−A‖, v = the part of C−A
 * orthogonal to u, normalised; grid point (x, y) is A + x·u + y·v over all parameters.
 */
export interface PlaneBasis {
  /** A, flat (flat.ts order). */
  origin: Float32Array;
  u: Float32Array;
  v: Float32Array;
  /** d = ‖B − A‖. */
  d: number;
  /** h = (C − A)·v, C's height above the line AB. */
  h: number;
  /** (C − A)·u, C's position along the line. */
  cx: number;
}

export function planeBasis(a: HostParams, b: HostParams, c: HostParams): PlaneBasis {
  const [fa, fb, fc] = [flatten(a), flatten(b), flatten(c)];
  const ab = combine([
    [1, fb],
    [-1, fa],
  ]);
  const d = Math.sqrt(dot(ab, ab));
  if (!(d > 0)) throw new Error('plane: A and B are the same model');
  const u = combine([[1 / d, ab]]);
  const ac = combine([
    [1, fc],
    [-1, fa],
  ]);
  const cx = dot(ac, u);
  const w = combine([
    [1, ac],
    [-cx, u],
  ]);
  const h = Math.sqrt(dot(w, w));
  if (!(h > 1e-6 * d)) throw new Error('plane: C lies on the line through A and B');
  return { origin: fa, u, v: combine([[1 / h, w]]), d, h, cx };
}

/** Where a flat model projects onto the plane, and how far it is from it. */
export interface Projection {
  x: number;
  y: number;
  /** ‖P − (A + x·u + y·v)‖: a projection can look misleading when this is large (SPEC §9). */
  distance: number;
}

export function projectOntoPlane(basis: PlaneBasis, point: Float32Array | HostParams): Projection {
  const p = point instanceof Float32Array ? point : flatten(point);
  const r = combine([
    [1, p],
    [-1, basis.origin],
  ]);
  const x = dot(r, basis.u);
  const y = dot(r, basis.v);
  const rest = dot(r, r) - x * x - y * y;
  return { x, y, distance: Math.sqrt(Math.max(rest, 0)) };
}

/** Grid axes: x over [−m·d, (1+m)·d], y over [−m·h, (1+m)·h], `grid` points each (SPEC §9). */
export function planeAxes(basis: PlaneBasis, grid: number, margin: number): { x: number[]; y: number[] } {
  if (!Number.isInteger(grid) || grid < 2) throw new Error(`plane: grid must be an integer ≥ 2, got ${grid}`);
  const span = (len: number) =>
    Array.from({ length: grid }, (_, i) => -margin * len + (i / (grid - 1)) * (1 + 2 * margin) * len);
  return { x: span(basis.d), y: span(basis.h) };
}

/** The plane's train-loss grid (the `lowloss plane --json` shape, issue #13). */
export interface PlaneResult {
  x: number[];
  y: number[];
  /** trainLoss[iy][ix]: mean cross-entropy on the first `samples` training images. */
  trainLoss: number[][];
  points: { A: [number, number]; B: [number, number]; C: [number, number] };
  samples: number;
}

export type PlaneEvent =
  { type: 'row'; iy: number; rows: number; trainLoss: number[] } | { type: 'done'; plane: PlaneResult };

export interface PlaneOptions {
  grid?: number;
  margin?: number;
}

/** Evaluates the train loss over the grid, one row per event (the host may pause between rows). */
export async function* landscapePlane(
  a: HostParams,
  b: HostParams,
  c: HostParams,
  trainSet: EvalSet,
  opts: PlaneOptions = {},
): AsyncGenerator<PlaneEvent, void, void> {
  const basis = planeBasis(a, b, c);
  const { x, y } = planeAxes(basis, opts.grid ?? 21, opts.margin ?? 0.2);
  const trainLoss: number[][] = [];
  const probe = new Probe(a);
  try {
    for (let iy = 0; iy < y.length; iy++) {
      const row: number[] = [];
      for (const xi of x) {
        probe.set(
          unflatten(
            combine([
              [1, basis.origin],
              [xi, basis.u],
              [y[iy], basis.v],
            ]),
          ),
        );
        row.push((await evaluate(probe.params, trainSet)).loss);
      }
      trainLoss.push(row);
      yield { type: 'row', iy, rows: y.length, trainLoss: row };
    }
  } finally {
    probe.dispose();
  }
  const points = { A: [0, 0], B: [basis.d, 0], C: [basis.cx, basis.h] } as PlaneResult['points'];
  yield { type: 'done', plane: { x, y, trainLoss, points, samples: trainSet.count } };
}
