import * as tf from '../tf';
import { toHost, type HostParams } from '../model/lenet5';
import { evaluate } from '../train/evaluate';
import { unbiasedVariance } from '../llpf/varianceCorrect';
import {
  halfSquare,
  POINT_GROUPS,
  POINT_TENSORS,
  type PathPoint,
  type Snapshot,
  type TensorMetrics,
} from '../llpf/pathPoint';
import type { PathTick } from '../llpf/path';
import type { PathContext, StreamCursor } from '../llpf/pathContext';
import type { PathState } from '../llpf/pathState';
import type { RunConfig } from '../config';
import type { Observer } from './session';

/** Everything the next tick needs besides the run's config and endpoints (docs/ALGORITHMS.md, "Exact resume"). */
export interface PathCheckpoint {
  /** Ticks done. */
  tick: number;
  /** P after that tick (engine layout). */
  params: HostParams;
  /** Position of the training mini-batch stream after that tick, and the adaptive step multiplier. */
  cursor: PathCursor;
}

/** The stream cursor plus the path's own resumable state (stored together in a checkpoint). */
export type PathCursor = StreamCursor & { stepScale?: number };

/** What a path session emits besides the session's own events. */
export type PathEvent =
  | { type: 'point'; point: PathPoint }
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'checkpoint'; checkpoint: PathCheckpoint };

export type PathObserver = Observer<PathTick, PathEvent>;

/**
 * Test evaluation (docs/ALGORITHMS.md, "Evaluation"): all test images at the first and last tick,
 * the subset every evalEvery ticks; at the same ticks, the train loss on the fixed train subset.
 */
export function evaluationObserver(ctx: PathContext, config: RunConfig): PathObserver {
  return async (t) => {
    const full = t.tick === 0 || t.tick === t.total;
    if (!full && t.tick % config.evalEvery !== 0) return;
    const set = full ? ctx.testFull : ctx.testSubset;
    const r = await evaluate(t.params, set);
    t.test = { ...r, subset: full ? 'full' : set.label };
    if (ctx.trainFixed) t.trainEval = await evaluate(t.params, ctx.trainFixed);
  };
}

/** Per-tensor geometry and step lengths, read back in one transfer. */
async function geometry(t: PathTick, state: PathState): Promise<Float32Array> {
  const packed = tf.tidy(() => {
    const rows = POINT_TENSORS.map((n) => {
      const p = t.params.get(n)!;
      const norm = tf.norm(p);
      const cos = tf.div(
        tf.sum(tf.mul(p, state.start.get(n)!)),
        tf.maximum(tf.mul(norm, state.startNorm.get(n)!), 1e-30),
      );
      const variance = p.size > 1 ? unbiasedVariance(p) : tf.scalar(0);
      return tf.stack([tf.norm(tf.sub(p, state.destination.get(n)!)), norm, variance, cos]);
    });
    const steps = POINT_GROUPS.map((g) => t.stepLengths.get(g) ?? tf.scalar(0));
    return tf.concat([tf.reshape(tf.stack(rows), [-1]), tf.stack(steps)]);
  });
  const values = (await packed.data()) as Float32Array;
  packed.dispose();
  return values;
}

/** Emits the path point of every tick (docs/ALGORITHMS.md, "The path point"), after the evaluation observer has run. */
export function pointObserver(state: PathState): PathObserver {
  const t0 = performance.now();
  return async (t, emit) => {
    const v = await geometry(t, state);
    const tensors: Record<string, TensorMetrics> = {};
    POINT_TENSORS.forEach((n, i) => {
      const [distToDest, distToOrigin, variance, cosineToStart] = v.subarray(4 * i, 4 * i + 4);
      tensors[n] = { distToDest, halfSqDistToDest: halfSquare(distToDest), distToOrigin, variance, cosineToStart };
    });
    const stepLength = Object.fromEntries(POINT_GROUPS.map((g, i) => [g, v[4 * POINT_TENSORS.length + i]]));
    const now = performance.now();
    const trained = t.training.rounds > 0;
    emit({
      type: 'point',
      point: {
        tick: t.tick,
        wallTimeMs: now - t0,
        rounds: t.training.rounds,
        trainLossMovingAverage: trained ? t.training.movingAverageLoss : null,
        trainAccuracy: trained ? t.training.accuracy : null,
        test: t.test,
        trainEval: t.trainEval,
        tensors,
        stepLength,
        timing: { tickMs: t.tick === 0 ? 0 : now - t.timing.startedAt, sgdMs: t.timing.sgdMs },
      },
    });
  };
}

/** Ticks that record: every `every` ticks, and the first and last tick (never when every = 0). */
const recordsAt = (t: PathTick, every: number) => every > 0 && (t.tick % every === 0 || t.tick === t.total);

/** P on the host, read once per tick however many observers want it. */
const hostCache = new WeakMap<PathTick, Promise<HostParams>>();
function hostParams(t: PathTick): Promise<HostParams> {
  let p = hostCache.get(t);
  if (!p) hostCache.set(t, (p = toHost(t.params)));
  return p;
}

/** A copy of every tensor every `every` ticks, for the per-layer PCA (buffers are the receiver's). */
export function snapshotObserver(every: number): PathObserver {
  return async (t, emit) => {
    if (!recordsAt(t, every)) return;
    const host = await hostParams(t);
    const tensors = Object.fromEntries([...host].map(([n, v]) => [n, Float32Array.from(v)]));
    emit({ type: 'snapshot', snapshot: { tick: t.tick, tensors } });
  };
}

/** A checkpoint every `every` ticks: P, the tick and the batch-stream cursor (exact resume). */
export function checkpointObserver(ctx: PathContext, state: PathState, every: number): PathObserver {
  return async (t, emit) => {
    if (!recordsAt(t, every)) return;
    const cursor: PathCursor = { ...ctx.batches.cursor(), stepScale: state.stepScale };
    const params = new Map([...(await hostParams(t))].map(([n, v]) => [n, Float32Array.from(v)]));
    emit({ type: 'checkpoint', checkpoint: { tick: t.tick, params, cursor: structuredClone(cursor) } });
  };
}
