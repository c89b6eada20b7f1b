/**
 * The baselines' part of the worker protocol (issue #13, SPEC §9): the straight lines, the trained
 * curves of Garipov et al. 2018 and AutoNEB (Draxler et al. 2018): their commands, events and the
 * commands' validation. No TF.js here, so the UI can use it.
 */

/** The straight lines: A → B, and A → B aligned to A (weight matching). */
export type LineKind = 'line' | 'aligned';
/** The curves with one trained bend θ₁ (SPEC §9). */
export type CurveKind = 'bezier' | 'polychain';
/** The baselines that spend SGD steps: the two curves and the AutoNEB chain. */
export type TrainedKind = CurveKind | 'autoneb';
/** Every path kind on the barrier chart besides the LLPF path. */
export type BaselineKind = LineKind | TrainedKind;
export const BASELINE_KINDS: readonly BaselineKind[] = ['line', 'aligned', 'bezier', 'polychain', 'autoneb'];

/** A baseline's loss curve (`lowloss interpolate --json`); losses are mean cross-entropy in nats. */
export interface BaselineCurve {
  t: number[];
  trainLoss: number[];
  trainAccuracy: number[];
  testLoss: number[];
  testAccuracy: number[];
  /** SPEC §9 on the train loss: max_t L(t) − [(1−t)L(0) + t·L(1)]. */
  barrier: number;
}

/** Where a baseline is evaluated once built: `points` evenly spaced t, train loss on the first `trainImages`. */
interface EvalFields {
  runId: string;
  /** Evenly spaced positions t ∈ [0, 1], both ends included (2..1000). */
  points: number;
  /** Train loss on the first `trainImages` training images (SPEC §9: 10,000), 1..60000. */
  trainImages: number;
}

export type BaselineCommand =
  | ({ v: 1; type: 'baseline'; kind: LineKind } & EvalFields)
  | ({
      v: 1;
      type: 'curve';
      kind: CurveKind;
      /** SGD steps on the bend θ₁, one mini-batch of 64 and one t ~ U(0, 1) each (1..100000). */
      steps: number;
      /** Base learning rate (Garipov et al.'s schedule: constant, then down to 1 % of it). */
      lr: number;
      /** Seed of the mini-batch order and the t draws. */
      seed: number;
    } & EvalFields)
  | ({
      v: 1;
      type: 'autoneb';
      /** Interior pivots to start with, evenly spaced on the line (1..20). */
      pivots: number;
      /** Relaxation cycles; a pivot is inserted after each but the last (1..10). */
      cycles: number;
      /** Relaxation steps per cycle, one mini-batch gradient per interior pivot each (1..10000). */
      stepsPerCycle: number;
      lr: number;
      seed: number;
    } & EvalFields);

export type BaselineEvent =
  | {
      v: 1;
      type: 'baselineProgress';
      runId: string;
      kind: BaselineKind;
      /** Point index (0-based) of `total`, at position t. */
      index: number;
      total: number;
      t: number;
      trainLoss: number;
      testAccuracy: number | null;
    }
  | {
      v: 1;
      type: 'trainedProgress';
      runId: string;
      kind: TrainedKind;
      /** SGD steps (mini-batch gradients) spent so far, of `totalSteps`. */
      step: number;
      totalSteps: number;
      /** Mean mini-batch train loss (nats) since the last event: at random t (curves), over the pivots (AutoNEB). */
      loss: number;
      /** AutoNEB: each interior pivot's position (its share of the chain when placed) and mini-batch loss. */
      pivots: { t: number[]; loss: number[] } | null;
    }
  | {
      v: 1;
      type: 'baselineDone';
      runId: string;
      kind: BaselineKind;
      curve: BaselineCurve;
      trainImages: number;
      /** Length of the path in parameter space, ‖·‖ over all parameters. */
      length: number;
      /** SGD steps spent building it (0 for the straight lines). */
      sgdSteps: number;
      ms: number;
    };

/** Baseline events carry a runId (checked like the other run-scoped events). */
export const BASELINE_EVENTS = ['baselineProgress', 'trainedProgress', 'baselineDone'] as const;

const int = (n: unknown, lo: number, hi: number) => typeof n === 'number' && Number.isInteger(n) && n >= lo && n <= hi;
const rate = (n: unknown) => typeof n === 'number' && n > 0 && n <= 10;

/** Validates a baseline, curve or AutoNEB command's fields; returns an error message, or null when fine. */
export function baselineCommandError(m: Record<string, unknown>): string | null {
  if (typeof m.runId !== 'string') return `${String(m.type)} needs a runId`;
  if (!int(m.points, 2, 1000) || !int(m.trainImages, 1, 60000))
    return `${String(m.type)}: points must be 2..1000 and trainImages 1..60000`;
  switch (m.type) {
    case 'baseline':
      return m.kind === 'line' || m.kind === 'aligned' ? null : 'baseline needs kind line|aligned';
    case 'curve':
      if (m.kind !== 'bezier' && m.kind !== 'polychain') return 'curve needs kind bezier|polychain';
      if (!int(m.steps, 1, 100000)) return 'curve: steps must be an integer 1..100000';
      if (!rate(m.lr) || !int(m.seed, 0, 2 ** 31)) return 'curve: lr must be in (0, 10] and seed an integer ≥ 0';
      return null;
    case 'autoneb':
      if (!int(m.pivots, 1, 20) || !int(m.cycles, 1, 10) || !int(m.stepsPerCycle, 1, 10000))
        return 'autoneb: pivots must be 1..20, cycles 1..10 and stepsPerCycle 1..10000';
      if (!rate(m.lr) || !int(m.seed, 0, 2 ** 31)) return 'autoneb: lr must be in (0, 10] and seed an integer ≥ 0';
      return null;
    default:
      return `not a baseline command: ${String(m.type)}`;
  }
}
