import {
  alignTo,
  createBaselineSets,
  distance,
  evaluatePath,
  evenlySpaced,
  flatten,
  linePath,
  type BaselineSets,
  type PathFn,
} from '../core/baselines';
import type { Mnist } from '../core/data/mnist';
import type { SessionControl } from '../core/session/control';
import type { ModelSlots } from './models';
import { yieldToEventLoop } from './runs';
import type { BaselineKind, FromWorker, ToWorker } from './protocol';

type BaselineMsg = Extract<ToWorker, { type: 'baseline' | 'curve' | 'autoneb' }>;
type Post = (msg: FromWorker) => void;

/**
 * Runs one of the core's baseline generators to its end, handing each event to `on` and yielding to
 * the event loop after it, so a `stop` message arrives in between. False when stopped (the
 * generator's `finally` frees its tensors).
 */
export async function pump<E>(
  gen: AsyncGenerator<E, void, void>,
  control: SessionControl,
  on: (e: E) => void,
): Promise<boolean> {
  for await (const e of gen) {
    on(e);
    await yieldToEventLoop();
    if (control.isStopped) return false;
  }
  return true;
}

/** What a built path adds to its `baselineDone` event. */
export interface BuiltPath {
  /** Length in parameter space. */
  length: number;
  /** SGD steps spent building it. */
  sgdSteps: number;
  /** When the job started (performance.now()). */
  t0: number;
}

/**
 * The straight-line baselines of issue #13 in the worker: the line A → B, or A → B aligned to A
 * (weight matching, SPEC §9), and the evaluation of any built path at evenly spaced t, with a
 * `baselineProgress` event per point and a `baselineDone` event with the whole curve. The
 * evaluation sets stay on the device between runs (one train-subset size at a time).
 */
export class BaselineJobs {
  private sets: { trainImages: number; sets: BaselineSets } | null = null;

  constructor(
    private readonly post: Post,
    private readonly models: ModelSlots,
  ) {}

  async run(msg: Extract<BaselineMsg, { type: 'baseline' }>, mnist: Mnist, control: SessionControl): Promise<void> {
    const t0 = performance.now();
    const { a, b } = this.models.endpoints();
    const end = msg.kind === 'aligned' ? alignTo(a, b).aligned : b;
    const length = distance(flatten(a), flatten(end));
    await this.evaluate(msg, msg.kind, linePath(a, end), mnist, control, { length, sgdSteps: 0, t0 });
  }

  /** Evaluates a path at `msg.points` evenly spaced t; false when stopped (a `runState stopped` is posted). */
  async evaluate(
    msg: BaselineMsg,
    kind: BaselineKind,
    path: PathFn,
    mnist: Mnist,
    control: SessionControl,
    built: BuiltPath,
  ): Promise<boolean> {
    const { runId, trainImages } = msg;
    const sets = this.setsFor(mnist, trainImages);
    const ok = await pump(evaluatePath(path, evenlySpaced(msg.points), sets), control, (e) => {
      if (e.type === 'point') {
        const { index, total, t, train, test } = e;
        const testAccuracy = test?.accuracy ?? null;
        this.post({
          v: 1,
          type: 'baselineProgress',
          runId,
          kind,
          index,
          total,
          t,
          trainLoss: train.loss,
          testAccuracy,
        });
      } else {
        const { length, sgdSteps, t0 } = built;
        const ms = performance.now() - t0;
        const curve = { ...e.curve };
        this.post({ v: 1, type: 'baselineDone', runId, kind, curve, trainImages, length, sgdSteps, ms });
      }
    });
    if (!ok) this.stopped(runId);
    return ok;
  }

  /** Tells the UI that the job `runId` stopped on request. */
  stopped(runId: string): void {
    this.post({ v: 1, type: 'runState', runId, state: 'stopped' });
  }

  private setsFor(mnist: Mnist, trainImages: number): BaselineSets {
    const count = Math.min(trainImages, mnist.train.count);
    if (this.sets?.trainImages !== count) {
      this.sets?.sets.dispose();
      this.sets = { trainImages: count, sets: createBaselineSets(mnist, count) };
    }
    return this.sets.sets;
  }
}
