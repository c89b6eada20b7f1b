import { disposeParams, toDevice, type HostParams, type Params } from '../model/lenet5';
import type { Mnist } from '../data/mnist';
import type { BatchSourceOptions, EvalSet } from '../data/batches';
import { llpfPath, type PathTick } from '../llpf/path';
import { createPathContext, disposePathContext, type PathContext, type StreamCursor } from '../llpf/pathContext';
import { freeInitialCopies, PathState } from '../llpf/pathState';
import { totalTicks, type PhasedConfig } from '../llpf/phases';
import { Session } from './session';
import type { SessionControl } from './control';
import {
  type PathCursor,
  checkpointObserver,
  evaluationObserver,
  pointObserver,
  snapshotObserver,
  type PathEvent,
} from './pathObservers';

/** Where a continued run picks up: a checkpoint's tick, point and (for an exact continuation) stream cursor. */
export interface PathResume {
  tick: number;
  params: HostParams;
  /** Absent in checkpoints written before cursors were stored: the stream then restarts (not exact). */
  cursor: StreamCursor | null;
}

export interface PathSessionSpec {
  config: PhasedConfig;
  /** Model A (the start P₀). */
  start: HostParams;
  /** Model B (M2M); null for M2O. */
  dest: HostParams | null;
  mnist: Mnist;
  resume?: PathResume;
  /** A device copy of the full test set to share between runs (else the session makes its own). */
  testFull?: EvalSet;
  /** Mini-batch stream options besides size and seed (augmentation, subset, batch semantics). */
  batch?: Partial<BatchSourceOptions>;
  /** Checkpoint every this many ticks (default: the config's snapshotEvery; 0 = never). */
  checkpointEvery?: number;
  control?: SessionControl;
  yieldToHost?: () => Promise<void>;
}

/** Host values → trainable variables, without leaking tf.variable's initial tensors. */
export const upload = (host: HostParams): Params => freeInitialCopies(() => toDevice(host));

/** A path run hosted by the session driver: the session, its state and data, and their clean-up. */
export interface PathSession {
  session: Session<PathTick, PathEvent>;
  state: PathState;
  ctx: PathContext;
  /** T: the schedule's tick count. */
  total: number;
  /** Frees the state and data (call once the session has run). */
  dispose(): void;
}

/**
 * Sets up an LLPF path (paper Algorithm 1 or 2) with its observers, in the order they see each tick:
 * evaluation → point → checkpoint → snapshot. Every host (worker, CLI, bench, tests) builds runs here.
 */
export function createPathSession(spec: PathSessionSpec): PathSession {
  const { config } = spec;
  const A = upload(spec.start);
  const B = spec.dest ? upload(spec.dest) : null;
  const P = spec.resume ? upload(spec.resume.params) : undefined;
  let state: PathState;
  try {
    if (config.mode === 'm2m' && !B) throw new Error('M2M needs a destination model');
    state = new PathState(A, config.mode === 'm2m' ? B : null, config, P, spec.resume?.tick ?? 0);
    state.stepScale = (spec.resume?.cursor as PathCursor | null | undefined)?.stepScale ?? 1;
  } finally {
    disposeParams(A);
    if (B) disposeParams(B);
    if (P) disposeParams(P);
  }
  const ctx = createPathContext(spec.mnist, config, {
    cursor: spec.resume?.cursor ?? undefined,
    testFull: spec.testFull,
    batch: spec.batch,
  });
  const total = totalTicks(config);
  const session = new Session<PathTick, PathEvent>({
    producer: llpfPath(state, ctx),
    position: (t) => t.tick,
    total,
    startAt: state.tick,
    control: spec.control,
    yieldToHost: spec.yieldToHost,
  });
  session
    .observe(evaluationObserver(ctx, config))
    .observe(pointObserver(state))
    .observe(checkpointObserver(ctx, state, spec.checkpointEvery ?? config.snapshotEvery))
    .observe(snapshotObserver(config.snapshotEvery));
  return {
    session,
    state,
    ctx,
    total,
    dispose: () => {
      state.dispose();
      disposePathContext(ctx);
    },
  };
}
