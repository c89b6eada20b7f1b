import * as tf from '../tf';
import type { Params } from '../model/lenet5';
import type { TestEval, TrainEval } from './pathPoint';
import { moveToward } from './move';
import { adaptStepScale, scheduledMove } from './schedule';
import { varianceCorrect } from './varianceCorrect';
import { angleConformalRates } from './angleConformal';
import { trainUntilThreshold, type TrainUntilResult } from './trainUntil';
import { groupsOf, isWeight, PARAM_NAMES, phaseAt, tensorsOf, totalTicks, type Phase } from './phases';
import type { PathContext } from './pathContext';
import type { PathState } from './pathState';

export { PathState } from './pathState';
export { createPathContext, disposePathContext, type PathContext } from './pathContext';
export { parsePhases, phasesOf, totalTicks, type Phase } from './phases';

/**
 * What the LLPF producer yields per tick. Device values (`params`, `stepLengths`) are valid until
 * the consumer asks for the next tick; observers read them in between (docs/ALGORITHMS.md,
 * "Observers").
 */
export interface PathTick {
  /** 0 is the start point; tick i is P_i after move, correction, training and correction. */
  tick: number;
  /** T: ticks of the whole schedule. */
  total: number;
  /** The live current point P (read only). */
  params: Params;
  /** The SGD steps of this tick (rounds 0 at tick 0 or with training off). */
  training: TrainUntilResult;
  /** Step length moved by each moving layer group (device scalars). */
  stepLengths: ReadonlyMap<string, tf.Scalar>;
  /** When the tick started (performance.now(), ms) and the time of its SGD steps (ms). */
  timing: { startedAt: number; sgdMs: number };
  /** Test evaluation, set by the evaluation observer on its ticks (null otherwise). */
  test: TestEval | null;
  /** Fixed-train-subset evaluation, set by the evaluation observer on its ticks (null otherwise). */
  trainEval: TrainEval | null;
}

export class PathError extends Error {
  constructor(
    message: string,
    readonly tick: number,
  ) {
    super(message);
    this.name = 'PathError';
  }
}

/** Assigns new values to P's variables and frees them. */
function assign(P: Params, values: Map<string, tf.Tensor>): void {
  for (const [name, t] of values) {
    P.get(name)!.assign(t);
    t.dispose();
  }
}

/** VarianceCorrection of every tensor of P back to its start variance (paper Algorithm 1, lines 6 and 8). */
function correctAll(state: PathState): void {
  const corrected = new Map<string, tf.Tensor>();
  for (const n of PARAM_NAMES) corrected.set(n, varianceCorrect(state.current.get(n)!, state.startVariance.get(n)!));
  assign(state.current, corrected);
}

const NO_TRAINING: TrainUntilResult = { rounds: 0, movingAverageLoss: NaN, accuracy: NaN };

/**
 * Train_r of a tick (paper Algorithm 1, line 7; Algorithm 2 lines 7–8): AngleConformal rates in M2O,
 * a new shuffle where the batch semantics ask for it, SGD until the stop rule. Returns the
 * result and the time spent (ms).
 */
async function trainTick(state: PathState, ctx: PathContext, phase: Phase, tick: number) {
  const { config } = state;
  const lr =
    config.mode === 'm2m' ? config.lr : angleConformalRates(state.current, state.startVariance, isWeight, config.lr);
  const t0 = performance.now();
  try {
    ctx.batches.beginTick(); // the reference reshuffles every tick (docs/ALGORITHMS.md, "Mini-batches")
    const trainable = tensorsOf(phase.trainLayers);
    const result = await trainUntilThreshold(state.current, ctx.batches, { ...config, lr, trainable });
    if (result.rounds > 0 && !Number.isFinite(result.movingAverageLoss)) {
      throw new PathError(
        `training loss became ${result.movingAverageLoss} at tick ${tick}; the path so far is kept`,
        tick,
      );
    }
    return { result, ms: performance.now() - t0 };
  } finally {
    if (typeof lr !== 'number') tf.dispose([...lr.values()].filter((v): v is tf.Scalar => typeof v !== 'number'));
  }
}

/**
 * LLPF as a producer of ticks: M2M (paper Algorithm 1) when the state has a destination model,
 * M2O (Algorithm 2) toward the origin otherwise. A tick runs only when the consumer asks for it,
 * so pausing is not asking and stopping is `return()`. Tick 0 (the start) is yielded only on a
 * fresh path. Deterministic for a config and its batch stream (docs/ALGORITHMS.md).
 */
export async function* llpfPath(state: PathState, ctx: PathContext): AsyncGenerator<PathTick, void, void> {
  const { config } = state;
  const total = totalTicks(config);
  const m2m = config.mode === 'm2m';
  const unevaluated = { test: null, trainEval: null }; // the evaluation observer fills these on its ticks
  const tick0 = {
    tick: 0,
    total,
    params: state.current,
    training: NO_TRAINING,
    stepLengths: new Map(),
    ...unevaluated,
  };
  if (state.tick === 0) yield { ...tick0, timing: { startedAt: performance.now(), sgdMs: 0 } };
  while (state.tick < total) {
    const startedAt = performance.now();
    const tick = state.tick + 1;
    const phase = phaseAt(config, tick);
    const move = scheduledMove(config, tick, total, state.stepScale);
    const { next, stepLengths } = moveToward(state.current, state.destination, groupsOf(phase.moveLayers), move);
    try {
      assign(state.current, next); // 1. Move toward D, per layer group (line 5).
      if (m2m) correctAll(state); // 2. VarianceCorrection (line 6; M2M only).
      const training = await trainTick(state, ctx, phase, tick); // 3. Train r rounds (line 7).
      if (m2m) correctAll(state); // 4. VarianceCorrection again (line 8).
      state.tick = tick;
      state.stepScale = adaptStepScale(config, state.stepScale, training.result);
      const timing = { startedAt, sgdMs: training.ms };
      yield { tick, total, params: state.current, training: training.result, stepLengths, timing, ...unevaluated }; // 5.
    } finally {
      tf.dispose([...stepLengths.values()]);
    }
  }
}
