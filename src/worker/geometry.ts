import * as tf from '../core/tf';
import { chooseBackend, type BackendProbe } from '../core/backends/select';
import { registerWasmKernels } from '../core/backends/wasmKernels';
import type { Mnist } from '../core/data/mnist';
import { EvalSetCache, JobCancelled, createJobContext, type GeometryPost } from './geometryContext';
import { canonicalJob, compareJob, flatnessJob, landscapeJob } from './geometryAnalysis';
import { chainJob, populationJob } from './geometryTraining';
import { binaryCompareJob, binaryTrainJob } from './geometryBinary';
import { GEOMETRY_PROTOCOL_VERSION, parseToGeometry, type GeometryJob, type ToGeometry } from './geometryProtocol';

/** What the geometry worker needs from the place it runs in (a Web Worker, or a test in Node). */
export interface GeometryHost {
  probeBackends(): Promise<BackendProbe[]>;
  /** Called after the backend is chosen, before it is initialised (wasm paths, threads). */
  prepareBackend?(name: string): Promise<{ threads: boolean }>;
  loadMnist(dataUrl: string): Promise<Mnist>;
  post: GeometryPost;
}

/**
 * The geometry worker's message handler (issue #14), independent of `self` so tests drive it with a
 * stubbed `post`. Jobs run one at a time in arrival order; `cancel` is handled at once and seen by
 * the running job at its next yield point. Every failure becomes an `error` event with the job's runId.
 */
export class GeometryWorker {
  private mnist: Promise<Mnist> | null = null;
  private queue: Promise<void> = Promise.resolve();
  private readonly cancelled = new Set<string>();
  private readonly sets = new EvalSetCache();

  constructor(private readonly host: GeometryHost) {}

  /** Entry point for every incoming message; resolves when the message (and its job) is done. */
  handle(raw: unknown): Promise<void> {
    let msg: ToGeometry;
    try {
      msg = parseToGeometry(raw);
    } catch (e) {
      this.error(null, e);
      return Promise.resolve();
    }
    if (msg.type === 'cancel') {
      this.cancelled.add(msg.runId);
      return Promise.resolve();
    }
    const run = msg.type === 'init' ? () => this.init(msg) : () => this.runJob(msg);
    this.queue = this.queue.then(run, run);
    return this.queue;
  }

  private async init(msg: Extract<ToGeometry, { type: 'init' }>): Promise<void> {
    try {
      registerWasmKernels();
      const probes = await this.host.probeBackends();
      const choice = chooseBackend(probes, msg.backend);
      const { threads } = (await this.host.prepareBackend?.(choice.name)) ?? { threads: false };
      if (!(await tf.setBackend(choice.name))) throw new Error(`backend ${choice.name} failed to initialise`);
      await tf.ready();
      this.post({ v: 1, type: 'ready', backend: choice.name, reason: choice.reason, threads });
      const t0 = performance.now();
      this.mnist = this.host.loadMnist(msg.dataUrl);
      await this.mnist;
      this.post({ v: 1, type: 'dataLoaded', ms: performance.now() - t0 });
    } catch (e) {
      this.error(null, e);
    }
  }

  private async runJob(msg: GeometryJob): Promise<void> {
    const { runId } = msg;
    const t0 = performance.now();
    try {
      if (this.cancelled.has(runId)) throw new JobCancelled(runId);
      if (!this.mnist) throw new Error('the geometry worker is not initialised');
      const ctx = createJobContext(runId, await this.mnist, this.host.post, this.sets, (id) => this.cancelled.has(id));
      const before = tf.memory().numTensors - this.sets.tensors();
      await this.dispatch(ctx, msg);
      const leaked = tf.memory().numTensors - this.sets.tensors() - before;
      if (leaked > 0) console.warn(`geometry job ${msg.type} left ${leaked} tensors`);
      this.post({ v: 1, type: 'jobDone', runId, ms: performance.now() - t0 });
    } catch (e) {
      if (e instanceof JobCancelled) this.post({ v: 1, type: 'cancelled', runId });
      else this.error(runId, e);
    } finally {
      this.cancelled.delete(runId);
    }
  }

  private dispatch(ctx: ReturnType<typeof createJobContext>, msg: GeometryJob): Promise<void> {
    switch (msg.type) {
      case 'canonical':
        return canonicalJob(ctx, msg);
      case 'compare':
        return compareJob(ctx, msg);
      case 'landscape':
        return landscapeJob(ctx, msg);
      case 'flatness':
        return flatnessJob(ctx, msg);
      case 'population':
        return populationJob(ctx, msg);
      case 'chain':
        return chainJob(ctx, msg);
      case 'binaryTrain':
        return binaryTrainJob(ctx, msg);
      case 'binaryCompare':
        return binaryCompareJob(ctx, msg);
      default: {
        const never: never = msg;
        throw new Error(`unhandled job ${JSON.stringify(never)}`);
      }
    }
  }

  private post(msg: Parameters<GeometryPost>[0]): void {
    this.host.post(msg);
  }

  private error(runId: string | null, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.post({ v: GEOMETRY_PROTOCOL_VERSION, type: 'error', runId, message });
  }
}
