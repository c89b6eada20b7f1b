/**
 * Predictions on a drawn digit (issue #13, the path scrubber's canvas): the `predict` command and
 * its `prediction` answer. No TF.js here, so the UI can use it.
 */

/** Which model predicts: endpoint A, endpoint B, or the last path's snapshot at this tick. */
export type PredictTarget = 'A' | 'B' | number;

/** Pixels of a 28×28 MNIST image. */
export const DIGIT_PIXELS = 784;

export interface PredictCommand {
  v: 1;
  type: 'predict';
  requestId: string;
  /** 28×28 grey levels in [0, 1] (white ink on black, centred as MNIST is); the worker normalises them. */
  image: Float32Array;
  targets: PredictTarget[];
  /** The path whose snapshots the tick targets mean; the worker holds only the last path's. */
  pathRunId: string | null;
}

/** One model's answer: softmax probabilities of the digits 0..9, or why it could not answer. */
export type PredictResult =
  | {
      target: PredictTarget;
      /** The snapshot tick used (the nearest one held to the tick asked for), null for A and B. */
      tick: number | null;
      probabilities: number[];
    }
  | { target: PredictTarget; tick: null; probabilities: null; missing: string };

export interface PredictionEvent {
  v: 1;
  type: 'prediction';
  requestId: string;
  results: PredictResult[];
}

const isTarget = (t: unknown) => t === 'A' || t === 'B' || (typeof t === 'number' && Number.isInteger(t) && t >= 0);

/** Validates a `predict` command's fields; returns an error message, or null when they are fine. */
export function predictCommandError(m: Record<string, unknown>): string | null {
  if (typeof m.requestId !== 'string') return 'predict needs a requestId';
  const img = m.image;
  if (!(img instanceof Float32Array) || img.length !== DIGIT_PIXELS)
    return `predict: image must be a Float32Array of ${DIGIT_PIXELS} grey levels`;
  for (let i = 0; i < img.length; i++) if (!(img[i] >= 0 && img[i] <= 1)) return 'predict: grey levels must be 0..1';
  if (!Array.isArray(m.targets) || m.targets.length < 1 || m.targets.length > 8 || !m.targets.every(isTarget))
    return 'predict: targets must be 1..8 of A, B or a tick';
  if (m.pathRunId !== null && typeof m.pathRunId !== 'string') return 'predict: pathRunId must be a string or null';
  return null;
}
