import type { HostParams } from '../model/lenet5';
import type { Mnist } from '../data/mnist';
import type { EvalSet } from '../data/batches';
import type { PhasedConfig } from '../llpf/phases';
import type { PathPoint, Snapshot } from '../llpf/pathPoint';
import { createPathSession, type SessionControl, type SessionStatus } from '../session';

/**
 * The one place where an experiment meets the LLPF path API (paper Algorithms 1/2): the session
 * driver's `createPathSession` with its evaluation, point and snapshot observers. If that API
 * changes, only this function changes.
 */
export interface PathRunSpec {
  config: PhasedConfig;
  /** Model A. */
  start: HostParams;
  /** Model B (M2M); null for M2O. */
  dest: HostParams | null;
  mnist: Mnist;
  /** A device copy of the full test set shared by the pairs a host runs one after another. */
  testFull?: EvalSet;
  control?: SessionControl;
  /** Lets the host's event loop run between ticks (messages, Ctrl-C). */
  yieldToHost?: () => Promise<void>;
}

/** Receives the path's records in tick order. */
export interface PathRunSink {
  point(p: PathPoint): void;
  snapshot(s: Snapshot): void;
}

export interface PathRunResult {
  status: SessionStatus;
  /** T: the schedule's ticks. */
  total: number;
  /** The failure, when status is 'failed'. */
  error?: string;
}

/** Runs one path to its end (or a stop or failure), handing every point and snapshot to `sink`. */
export async function runPath(spec: PathRunSpec, sink: PathRunSink): Promise<PathRunResult> {
  const run = createPathSession({
    config: spec.config,
    start: spec.start,
    dest: spec.dest,
    mnist: spec.mnist,
    testFull: spec.testFull,
    checkpointEvery: 0,
    control: spec.control,
    yieldToHost: spec.yieldToHost,
  });
  let error: string | undefined;
  run.session.on((e) => {
    if (e.type === 'point') sink.point(e.point);
    else if (e.type === 'snapshot') sink.snapshot(e.snapshot);
    else if (e.type === 'error') error = e.error.message;
  });
  try {
    const status = await run.session.run();
    return { status, total: run.total, error };
  } finally {
    run.dispose();
  }
}
