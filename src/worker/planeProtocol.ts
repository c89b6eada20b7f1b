/**
 * The landscape plane's part of the worker protocol (issue #13, SPEC §9): its data shape and the
 * `plane` command's validation. No TF.js here either, so the UI can use it.
 */

/** The third model of the landscape plane: the LLPF path's middle snapshot, or B aligned to A. */
export type PlaneThird = 'pathMiddle' | 'alignedB';

/** A path projected onto the plane: each point's (x, y) and its distance from the plane (SPEC §9). */
export interface PlaneTrace {
  x: number[];
  y: number[];
  /** ‖P − its projection‖ in parameter units: a projection can mislead when this is large. */
  distance: number[];
}

/** A trained baseline drawn on the plane: the curve sampled at `t`, and its bend or pivots. */
export interface PlaneCurve extends PlaneTrace {
  kind: 'bezier' | 'polychain' | 'autoneb';
  t: number[];
  /** The bend θ₁ (curves) or the pivots (AutoNEB), projected. */
  knots: PlaneTrace;
}

/** Everything of the plane but its loss grid: known before the first row (`planeStarted`). */
export interface PlaneGeometry {
  /** Grid coordinates along u and v, parameter-space distance from A. */
  x: number[];
  y: number[];
  points: { A: [number, number]; B: [number, number]; C: [number, number] };
  samples: number;
  /** Which model C is; `tick` is the path tick of a path snapshot. */
  third: { kind: PlaneThird; tick: number | null };
  /**
   * The recorded snapshots of the last LLPF path, projected; `length` is the polyline's length through
   * them in parameter space (a lower bound on the path's length).
   */
  path: PlaneTrace & { runId: string | null; tick: number[]; length: number };
  /** The trained curves and the AutoNEB chain on the current endpoints, projected. */
  curves: PlaneCurve[];
}

/** The landscape plane (SPEC §9, `lowloss plane --json` plus the projections). */
export interface PlaneData extends PlaneGeometry {
  /** trainLoss[iy][ix], mean cross-entropy (nats) on the first `samples` training images. */
  trainLoss: number[][];
}

export type PlaneEvent =
  | { v: 1; type: 'planeStarted'; runId: string; geometry: PlaneGeometry }
  | { v: 1; type: 'planeProgress'; runId: string; iy: number; rows: number; trainLoss: number[] }
  | { v: 1; type: 'planeDone'; runId: string; plane: PlaneData; ms: number };

/** Plane events carry a runId (checked like the other run-scoped events). */
export const PLANE_EVENTS = ['planeStarted', 'planeProgress', 'planeDone'] as const;

/** Validates a `plane` command's fields; returns an error message, or null when they are fine. */
export function planeCommandError(m: Record<string, unknown>): string | null {
  const int = (n: unknown, lo: number, hi: number) =>
    typeof n === 'number' && Number.isInteger(n) && n >= lo && n <= hi;
  if (typeof m.runId !== 'string') return 'plane needs a runId';
  if (!int(m.grid, 2, 101)) return 'plane: grid must be an integer 2..101';
  if (typeof m.margin !== 'number' || !(m.margin >= 0 && m.margin <= 2)) return 'plane: margin must be 0..2';
  if (!int(m.samples, 1, 60000)) return 'plane: samples must be an integer 1..60000';
  return null;
}
