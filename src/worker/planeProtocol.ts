/**
 * The landscape plane's part of the worker protocol (issue #13, SPEC §9): its data shape and the
 * `plane` command's validation. No TF.js here either, so the UI can use it.
 */

/** The third model of the landscape plane: the LLPF path's middle snapshot, or B aligned to A. */
export type PlaneThird = 'pathMiddle' | 'alignedB';

/** The landscape plane (SPEC §9, `lowloss plane --json` plus the path's projection). */
export interface PlaneData {
  x: number[];
  y: number[];
  /** trainLoss[iy][ix], mean cross-entropy (nats) on the first `samples` training images. */
  trainLoss: number[][];
  points: { A: [number, number]; B: [number, number]; C: [number, number] };
  samples: number;
  /** Which model C is; `tick` is the path tick of a path snapshot. */
  third: { kind: PlaneThird; tick: number | null };
  /** The recorded snapshots of the last LLPF path, projected; `distance` is each one's distance from the plane. */
  path: { runId: string | null; tick: number[]; x: number[]; y: number[]; distance: number[] };
}

/** Plane events carry a runId (checked like the other run-scoped events). */
export const PLANE_EVENTS = ['planeProgress', 'planeDone'] as const;

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
