import type { RunConfig } from '../core/config';
import type { EvalSet } from '../core/data/batches';
import type { Mnist } from '../core/data/mnist';
import { readPathCheckpoint, writePathCheckpoint } from '../core/io/checkpoint';
import { POINT_GROUPS, POINT_TENSORS } from '../core/llpf/pathPoint';
import type { StreamCursor } from '../core/llpf/pathContext';
import { toHost, type HostParams } from '../core/model/lenet5';
import { SessionControl } from '../core/session/control';
import { createPathSession, type PathSession } from '../core/session/pathSession';
import { createEndpointSession } from '../core/session/endpointSession';
import { validateEndpointConfig, type EndpointConfig } from '../core/train/endpointConfig';
import { PointBatcher } from './pointBatch';
import type { ModelSlots } from './models';
import type { FromWorker, SnapshotMessage, Slot } from './protocol';

type Post = (msg: FromWorker, transfer?: Transferable[]) => void;
type Command = 'pause' | 'resume' | 'step' | 'stop';

/** Lets queued messages (pause, stop) in between steps: a macrotask with no timer clamping. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

/**
 * Run control of the worker: one job (a path or endpoint training) at a time, hosted by the
 * session driver; pause/step/resume/stop go to the running session's control. Session events
 * become protocol messages here.
 */
export class Runs {
  private control: SessionControl | null = null;
  private path: { runId: string; run: PathSession } | null = null;
  /** P at the end of the last path, for `exportModel current` after the run. */
  private lastPoint: HostParams | null = null;
  pcaPort: MessagePort | null = null;

  constructor(
    private readonly post: Post,
    private readonly models: ModelSlots,
  ) {}

  /** Applies a control command to the running job (ignored when none runs). */
  command(c: Command): void {
    const ctl = this.control;
    if (!ctl) return;
    switch (c) {
      case 'pause':
        return ctl.pause();
      case 'resume':
        return ctl.resume();
      case 'step':
        return ctl.step();
      case 'stop':
        return ctl.stop();
      default: {
        const never: never = c;
        throw new Error(`unknown command ${String(never)}`);
      }
    }
  }

  get runId(): string | null {
    return this.path?.runId ?? null;
  }

  /** The current path point P (live during a run, else the last run's end), on the host. */
  async currentParams(): Promise<HostParams | null> {
    return this.path ? toHost(this.path.run.state.current) : this.lastPoint;
  }

  /** Runs a job if none runs (else throws), with a fresh control for its session. */
  async exclusive(job: (control: SessionControl) => Promise<void>): Promise<void> {
    if (this.control) throw new Error('the engine is busy: stop the current job first');
    const control = (this.control = new SessionControl());
    try {
      await job(control);
    } finally {
      this.control = null;
    }
  }

  /** An LLPF path, streamed as `points`, `checkpoint` and `runState` events (snapshots to the PCA port). */
  runPath(
    runId: string,
    config: RunConfig,
    mnist: Mnist,
    testFull: EvalSet,
    resume?: { tick: number; params: ArrayBuffer },
  ) {
    return this.exclusive(async (control) => {
      const start = this.models.require('A', 'train or load it first').params;
      const dest = config.mode === 'm2m' ? this.models.require('B', 'M2M needs a destination').params : null;
      const cp = resume ? readPathCheckpoint(new Uint8Array(resume.params)) : null;
      const run = createPathSession({
        config,
        start,
        dest,
        mnist,
        testFull,
        resume: cp ? { tick: resume!.tick, params: cp.params, cursor: cp.cursor as StreamCursor | null } : undefined,
        control,
        yieldToHost: yieldToEventLoop,
      });
      this.path = { runId, run };
      const post = this.post;
      const batcher = new PointBatcher(POINT_TENSORS, POINT_GROUPS);
      let ticks = 0;
      let sgdSteps = 0;
      let elapsedMs = 0;
      const flush = () => {
        const out = batcher.flush(performance.now());
        if (!out) return;
        const secs = elapsedMs / 1000;
        const rates = { ticksPerSecond: ticks / secs, stepsPerSecond: sgdSteps / secs };
        post({ v: 1, type: 'points', runId, columns: out.columns, ...rates }, out.transfer);
      };
      post({
        v: 1,
        type: 'runStarted',
        runId,
        tensorNames: [...POINT_TENSORS],
        groupNames: [...POINT_GROUPS],
        totalTicks: run.total,
      });
      run.session.on((e) => {
        switch (e.type) {
          case 'point':
            if (e.point.tick > (resume?.tick ?? 0)) ticks++;
            sgdSteps += e.point.rounds;
            return batcher.add(e.point);
          case 'checkpoint': {
            flush(); // the UI holds every point up to a checkpoint before it holds the checkpoint
            const params = toArrayBuffer(writePathCheckpoint(e.checkpoint));
            return post({ v: 1, type: 'checkpoint', runId, tick: e.checkpoint.tick, params }, [params]);
          }
          case 'snapshot':
            return this.sendSnapshot(runId, e.snapshot.tick, e.snapshot.tensors);
          case 'progress':
            elapsedMs = e.elapsedMs;
            if (batcher.due(performance.now())) flush();
            return;
          case 'state':
            flush(); // every point before the state change
            return post({ v: 1, type: 'runState', runId, state: e.state });
          case 'error':
            flush(); // the points so far are kept
            return post({
              v: 1,
              type: 'error',
              scope: 'path',
              message: e.error.message,
              recoverable: true,
              runId,
              tick: e.at,
            });
          case 'done':
            return flush();
          default: {
            const never: never = e;
            throw new Error(`unhandled event ${JSON.stringify(never)}`);
          }
        }
      });
      try {
        await run.session.run();
        this.lastPoint = await toHost(run.state.current);
      } finally {
        this.path = null;
        run.dispose();
      }
    });
  }

  /** Snapshot → PCA worker (buffers transferred). */
  private sendSnapshot(runId: string, tick: number, tensors: Record<string, Float32Array>): void {
    if (!this.pcaPort) return;
    const msg: SnapshotMessage = { v: 1, type: 'snapshot', runId, tick, tensors };
    this.pcaPort.postMessage(
      msg,
      Object.values(tensors).map((t) => t.buffer as ArrayBuffer),
    );
  }

  /** Endpoint training into a slot, streamed as `trainProgress`; the model lands in the slot when done. */
  trainEndpoint(slot: Slot, config: EndpointConfig, mnist: Mnist, testFull: EvalSet) {
    return this.exclusive(async (control) => {
      const c = validateEndpointConfig(config);
      const job = createEndpointSession({ config: c, mnist, testFull, control, yieldToHost: yieldToEventLoop });
      const outcome: { error: Error | null } = { error: null };
      job.session.on((e) => {
        if (e.type === 'report') {
          const p = e.report;
          const test = { testAccuracy: p.test?.accuracy ?? null, testLoss: p.test?.loss ?? null };
          const { step, totalSteps, epoch, trainLoss, stepsPerSecond } = p;
          this.post({ v: 1, type: 'trainProgress', slot, step, totalSteps, epoch, trainLoss, ...test, stepsPerSecond });
        } else if (e.type === 'error') outcome.error = e.error;
      });
      try {
        const status = await job.session.run();
        if (outcome.error) throw outcome.error;
        if (status === 'stopped') throw new Error(`training of model ${slot} stopped`);
        const { accuracy } = await job.finalEvaluation();
        const name = `trained (seed ${c.seed}, ${+c.epochs.toPrecision(3)} epoch${c.epochs === 1 ? '' : 's'})`;
        this.models.set(slot, { params: await toHost(job.params), name, testAccuracy: accuracy });
      } finally {
        job.dispose();
      }
    });
  }
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
