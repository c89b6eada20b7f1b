import * as tf from '../tf';
import { LENET5, LENET5_GROUPS, cloneParams, disposeParams, toHost, type Params } from '../model/lenet5';
import { createBatchSource, createEvalSet, type BatchSource, type EvalSet } from '../data/batches';
import { takeSplit, type Mnist } from '../data/mnist';
import { deriveSeed } from '../random';
import { evaluate } from '../train/evaluate';
import type { RunConfig } from '../config';
import { moveToward } from './move';
import { unbiasedVariance, varianceCorrect } from './varianceCorrect';
import { angleConformalRates } from './angleConformal';
import { trainUntilThreshold } from './trainUntil';
import type { PathPoint, Snapshot, TensorMetrics } from './pathPoint';

/** A stretch of ticks with its own layer selection (the paper moves ResNet18 in phases). */
export interface Phase {
  ticks: number;
  moveLayers: readonly string[];
  trainLayers: readonly string[];
}

/** What the path loop reads from its host: data on the device. */
export interface PathContext {
  batches: BatchSource;
  /** All 10,000 test images (first and last tick). */
  testFull: EvalSet;
  /** The first evalSubset test images (ticks in between). */
  testSubset: EvalSet;
}

/**
 * The data of a path run. The mini-batch stream is seeded from the config's seed (and, for a run
 * continued from a checkpoint, the tick it continues from), so every host builds the same path.
 * `testFull` may be passed in to share one device copy of the test set.
 */
export function createPathContext(mnist: Mnist, config: RunConfig, startTick = 0, testFull?: EvalSet): PathContext {
  const purpose = startTick === 0 ? 'path-batches' : `path-batches:${startTick}`;
  return {
    batches: createBatchSource(mnist.train, { batchSize: config.batch, seed: deriveSeed(config.seed, purpose) }),
    testFull: testFull ?? createEvalSet(mnist.test),
    testSubset: createEvalSet(takeSplit(mnist.test, config.evalSubset)),
  };
}

/** What a path run yields: a point every tick, plus a snapshot on snapshot ticks. */
export interface PathStep {
  point: PathPoint;
  snapshot: Snapshot | null;
}

export class PathError extends Error {
  constructor(message: string, readonly tick: number) {
    super(message);
    this.name = 'PathError';
  }
}

const PARAM_NAMES = LENET5.map((p) => p.name);
const isWeight = (name: string) => name.endsWith('.weight');
const groupsOf = (layers: readonly string[]) =>
  new Map(layers.map((g) => [g, LENET5.filter((p) => p.group === g).map((p) => p.name)] as const));
const tensorsOf = (layers: readonly string[]) => new Set(LENET5.filter((p) => layers.includes(p.group)).map((p) => p.name));

/**
 * The state of one LLPF path: the current point P (owned), destination D (for M2O, the origin),
 * the start point and its per-tensor variances v. Read `current` between ticks to save it.
 */
export class PathState {
  readonly current: Params;
  readonly destination: Map<string, tf.Tensor>;
  readonly start: Map<string, tf.Tensor>;
  readonly startVariance: Map<string, tf.Scalar>;
  /** ‖P₀‖ per tensor, for the cosine to the start (constant, so computed once). */
  readonly startNorm: Map<string, tf.Scalar>;
  tick = 0;

  constructor(start: Params, destination: Params | null, readonly config: RunConfig, resumeFrom?: Params) {
    this.current = cloneParams(resumeFrom ?? start);
    this.start = new Map([...start].map(([n, v]) => [n, tf.clone(v)]));
    this.destination = new Map(PARAM_NAMES.map((n) => [n, destination ? tf.clone(destination.get(n)!) : tf.zerosLike(start.get(n)!)]));
    this.startVariance = new Map(PARAM_NAMES.map((n) => [n, unbiasedVariance(start.get(n)!)]));
    this.startNorm = new Map(PARAM_NAMES.map((n) => [n, tf.norm(start.get(n)!) as tf.Scalar]));
  }

  dispose(): void {
    disposeParams(this.current);
    tf.dispose([...this.destination.values(), ...this.start.values(), ...this.startVariance.values(), ...this.startNorm.values()]);
  }
}

export function phasesOf(config: RunConfig & { phases?: Phase[] }): Phase[] {
  return config.phases ?? [{ ticks: config.ticks, moveLayers: config.moveLayers, trainLayers: config.trainLayers }];
}

/** Parses a phase schedule "conv1,conv2:100;fc1,fc2,fc3:200" (layers that move and train : ticks). */
export function parsePhases(text: string): Phase[] {
  const phases = text.split(';').filter(Boolean).map((part) => {
    const [layers, ticks] = part.split(':');
    const groups = layers === 'all' ? [...LENET5_GROUPS] : layers.split(',').map((s) => s.trim());
    const n = Number(ticks);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--phases: "${part}" needs a tick count, as in conv1,conv2:100`);
    for (const g of groups) if (!(LENET5_GROUPS as readonly string[]).includes(g)) throw new Error(`--phases: unknown layer group "${g}"`);
    return { ticks: n, moveLayers: groups, trainLayers: groups };
  });
  if (!phases.length) throw new Error('--phases: empty schedule');
  return phases;
}

function phaseAt(phases: Phase[], tick: number): Phase {
  let end = 0;
  for (const p of phases) {
    end += p.ticks;
    if (tick <= end) return p;
  }
  return phases[phases.length - 1];
}

/** Assigns new values to P's variables and frees them. */
function assign(P: Params, values: Map<string, tf.Tensor>): void {
  for (const [name, t] of values) {
    P.get(name)!.assign(t);
    t.dispose();
  }
}

/** VarianceCorrection of every tensor of P back to its start variance (single elements skipped). */
function correctAll(state: PathState, names: Iterable<string>): void {
  const corrected = new Map<string, tf.Tensor>();
  for (const n of names) corrected.set(n, varianceCorrect(state.current.get(n)!, state.startVariance.get(n)!));
  assign(state.current, corrected);
}

/**
 * LLPF as an async iterator of path points: M2M (Algorithm 1) when the state has a destination
 * model, M2O (Algorithm 2) toward the origin otherwise. A tick runs only when the consumer asks
 * for the next point, so pausing is not asking and stopping is `return()`/`break`.
 * Tick 0 is the start point. Deterministic for a config and its batch seed.
 */
export async function* llpfPath(state: PathState, ctx: PathContext): AsyncGenerator<PathStep, void, void> {
  const { config } = state;
  const phases = phasesOf(config);
  const total = phases.reduce((n, p) => n + p.ticks, 0);
  const m2m = config.mode === 'm2m';
  const t0 = performance.now();
  if (state.tick === 0) yield await observe(state, ctx, null, { rounds: 0, movingAverageLoss: NaN, accuracy: NaN }, 0, 0, total, t0);

  while (state.tick < total) {
    const tickStart = performance.now();
    const tick = state.tick + 1;
    const phase = phaseAt(phases, tick);
    // 1. Move toward D, per layer group.
    const { next, stepLengths } = moveToward(state.current, state.destination, groupsOf(phase.moveLayers), config);
    assign(state.current, next);
    // 2. VarianceCorrection back onto the start's variance sphere (M2M only).
    if (m2m) correctAll(state, PARAM_NAMES);
    // AngleConformal (M2O only): learning rates shrink with each weight tensor's variance.
    const lr = m2m ? config.lr : angleConformalRates(state.current, state.startVariance, isWeight, config.lr);
    // 3. Train until the moving-average loss is under the threshold.
    const sgdStart = performance.now();
    const training = await trainUntilThreshold(state.current, ctx.batches, {
      roundsMin: config.roundsMin,
      roundsMax: config.roundsMax,
      threshold: config.threshold,
      lr,
      trainable: tensorsOf(phase.trainLayers),
    });
    const sgdMs = performance.now() - sgdStart;
    if (typeof lr !== 'number') tf.dispose([...lr.values()].filter((v): v is tf.Scalar => typeof v !== 'number'));
    if (training.rounds > 0 && !Number.isFinite(training.movingAverageLoss)) {
      tf.dispose([...stepLengths.values()]);
      throw new PathError(`training loss became ${training.movingAverageLoss} at tick ${tick}; the path so far is kept`, tick);
    }
    // 4. VarianceCorrection again (M2M only).
    if (m2m) correctAll(state, PARAM_NAMES);
    state.tick = tick;
    // 5. Emit the path point.
    yield await observe(state, ctx, stepLengths, training, sgdMs, tickStart, total, t0);
  }
}

async function observe(
  state: PathState,
  ctx: PathContext,
  stepLengths: Map<string, tf.Scalar> | null,
  training: { rounds: number; movingAverageLoss: number; accuracy: number },
  sgdMs: number,
  tickStart: number,
  total: number,
  t0: number,
): Promise<PathStep> {
  const { config, tick } = state;
  const packed = tf.tidy(() => {
    const rows = PARAM_NAMES.map((n) => {
      const p = state.current.get(n)!;
      const norm = tf.norm(p);
      const cos = tf.div(tf.sum(tf.mul(p, state.start.get(n)!)), tf.maximum(tf.mul(norm, state.startNorm.get(n)!), 1e-30));
      const variance = p.size > 1 ? unbiasedVariance(p) : tf.scalar(0);
      return tf.stack([tf.norm(tf.sub(p, state.destination.get(n)!)), norm, variance, cos]);
    });
    const steps = LENET5_GROUPS.map((g) => stepLengths?.get(g) ?? tf.scalar(0));
    return tf.concat([tf.reshape(tf.stack(rows), [-1]), tf.stack(steps)]);
  });
  if (stepLengths) tf.dispose([...stepLengths.values()]);
  const values = await packed.data();
  packed.dispose();

  const tensors: Record<string, TensorMetrics> = {};
  PARAM_NAMES.forEach((n, i) => {
    tensors[n] = { distToDest: values[4 * i], distToOrigin: values[4 * i + 1], variance: values[4 * i + 2], cosineToStart: values[4 * i + 3] };
  });
  const stepLength: Record<string, number> = {};
  LENET5_GROUPS.forEach((g, i) => (stepLength[g] = values[4 * PARAM_NAMES.length + i]));

  const full = tick === 0 || tick === total;
  let test = null;
  if (full || tick % config.evalEvery === 0) {
    const set = full ? ctx.testFull : ctx.testSubset;
    const r = await evaluate(state.current, set);
    test = { ...r, subset: full ? 'full' : `first-${set.count}` };
  }
  let snapshot: Snapshot | null = null;
  if (config.snapshotEvery > 0 && (tick % config.snapshotEvery === 0 || full)) {
    snapshot = { tick, tensors: Object.fromEntries(await toHost(state.current)) };
  }
  const now = performance.now();
  const point: PathPoint = {
    tick,
    wallTimeMs: now - t0,
    rounds: training.rounds,
    trainLossMovingAverage: training.rounds > 0 ? training.movingAverageLoss : null,
    trainAccuracy: training.rounds > 0 ? training.accuracy : null,
    test,
    tensors,
    stepLength,
    timing: { tickMs: tick === 0 ? 0 : now - tickStart, sgdMs },
  };
  return { point, snapshot };
}
