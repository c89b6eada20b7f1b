import type { LossCurve } from './pathEval';

/** One path kind on the barrier chart (issue #13): loss against t and the table's columns. */
export interface BarrierRow {
  /** "line", "aligned line", "bezier", "polychain", "autoneb", "llpf", … */
  kind: string;
  t: number[];
  trainLoss: number[];
  /** SPEC §9 barrier on the train loss. */
  barrier: number;
  maxTrainLoss: number;
  /** Length of the path in parameter space (Euclidean, all parameters). */
  length: number;
  /** SGD steps (mini-batch gradients) spent building it; 0 for the straight lines. */
  sgdSteps: number;
}

export interface BarrierInput {
  kind: string;
  curve: LossCurve;
  length: number;
  sgdSteps: number;
}

/** The barrier chart's data: one row per path kind, in the order given. */
export function barrierTable(inputs: readonly BarrierInput[]): BarrierRow[] {
  return inputs.map(({ kind, curve, length, sgdSteps }) => ({
    kind,
    t: curve.t,
    trainLoss: curve.trainLoss,
    barrier: curve.barrier,
    maxTrainLoss: Math.max(...curve.trainLoss),
    length,
    sgdSteps,
  }));
}
