import * as tf from '../core/tf';
import { chooseBackend, type BackendName, type BackendProbe } from '../core/backends/select';
import { registerWasmKernels } from '../core/backends/wasmKernels';
import { createEvalSet, type EvalSet } from '../core/data/batches';
import type { Mnist } from '../core/data/mnist';
import { runPair } from '../core/experiments/pairRun';
import type { ExperimentStore } from '../core/experiments/store';
import { SessionControl } from '../core/session/control';
import { analyseExperiment, measureDimensionality } from './experimentJobs';
import {
  EXPERIMENT_PROTOCOL_VERSION,
  parseToExperimentWorker,
  type FromExperimentWorker,
  type ToExperimentWorker,
} from './experimentProtocol';

/** What an experiment worker needs from the place it runs in (a Web Worker, or a test in Node). */
export interface ExperimentHost {
  probeBackends(): Promise<BackendProbe[]>;
  /** Called after the backend is chosen, before it is initialised (wasm paths, one thread per worker). */
  prepareBackend?(name: string): Promise<{ threads: boolean }>;
  loadMnist(dataUrl: string): Promise<Mnist>;
  post(msg: FromExperimentWorker, transfer?: Transferable[]): void;
  /** The files of experiment `id`. */
  storeFor(id: string): Promise<ExperimentStore> | ExperimentStore;
  /** Lets queued messages (pause, stop) in between ticks. */
  yieldToHost?: () => Promise<void>;
}

type Command<T extends ToExperimentWorker['type']> = Extract<ToExperimentWorker, { type: T }>;

/**
 * An experiment worker's message handler, independent of `self` so tests drive it with a stubbed
 * host (STYLE.md). Jobs (a pair, an analysis, a dimensionality run) run one at a time in arrival
 * order; pause/resume/stop act at once on the pair that runs. The backend and MNIST load on the
 * first job that needs them, so a worker that only analyses never holds MNIST.
 */
export class ExperimentEngine {
  private requested: BackendName | null = null;
  private dataUrl = '';
  private data: Promise<{ mnist: Mnist; testFull: EvalSet }> | null = null;
  private control: SessionControl | null = null;
  private paused = false;
  private jobs: Promise<void> = Promise.resolve();

  constructor(private readonly host: ExperimentHost) {}

  /** Entry point for every incoming message; resolves when the job it started is over. */
  handle(raw: unknown): Promise<void> {
    let msg: ToExperimentWorker;
    try {
      msg = parseToExperimentWorker(raw);
    } catch (e) {
      this.post({ v: 1, type: 'error', message: (e as Error).message });
      return Promise.resolve();
    }
    switch (msg.type) {
      case 'init':
        this.requested = msg.backend;
        this.dataUrl = msg.dataUrl;
        return Promise.resolve();
      case 'pause':
        this.paused = true;
        this.control?.pause();
        return Promise.resolve();
      case 'resume':
        this.paused = false;
        this.control?.resume();
        return Promise.resolve();
      case 'stop':
        this.paused = false;
        this.control?.stop();
        return Promise.resolve();
      case 'runPair':
        return this.enqueue(() => this.runPair(msg));
      case 'analyse':
        return this.enqueue(() => this.analyse(msg), msg.runId);
      case 'dimensionality':
        return this.enqueue(() => this.dimensionality(msg), msg.runId);
      default: {
        const never: never = msg;
        throw new Error(`unhandled experiment message ${JSON.stringify(never)}`);
      }
    }
  }

  private enqueue(job: () => Promise<void>, runId?: string): Promise<void> {
    const run = this.jobs.then(job).catch((e: Error) => this.post({ v: 1, type: 'error', runId, message: e.message }));
    this.jobs = run;
    return run;
  }

  private post(msg: FromExperimentWorker): void {
    this.host.post({ ...msg, v: EXPERIMENT_PROTOCOL_VERSION });
  }

  /** The backend (chosen as the app's engine does) and MNIST with a device copy of the test set. */
  private ensureData(): Promise<{ mnist: Mnist; testFull: EvalSet }> {
    this.data ??= (async () => {
      registerWasmKernels();
      const choice = chooseBackend(await this.host.probeBackends(), this.requested);
      const { threads } = (await this.host.prepareBackend?.(choice.name)) ?? { threads: false };
      if (tf.getBackend() !== choice.name && !(await tf.setBackend(choice.name)))
        throw new Error(`backend ${choice.name} failed to initialise`);
      await tf.ready();
      this.post({ v: 1, type: 'ready', backend: choice.name, reason: choice.reason, threads });
      const t0 = performance.now();
      const mnist = await this.host.loadMnist(this.dataUrl);
      const testFull = createEvalSet(mnist.test);
      const { train, test } = mnist;
      const hostBytes =
        train.images.byteLength + train.labels.byteLength + test.images.byteLength + test.labels.byteLength;
      this.post({ v: 1, type: 'dataLoaded', ms: performance.now() - t0, hostBytes });
      return { mnist, testFull };
    })();
    // A failed start is not cached: the next job tries again (and reports its own error).
    this.data.catch(() => (this.data = null));
    return this.data;
  }

  /** One pair through the core's pair runner (endpoints cached in models/, pair-k files). */
  private async runPair(msg: Command<'runPair'>): Promise<void> {
    const { runId, pair } = msg;
    const control = new SessionControl();
    if (this.paused) control.pause();
    this.control = control;
    try {
      const { mnist, testFull } = await this.ensureData();
      const store = await this.host.storeFor(msg.experimentId);
      const record = await runPair(pair, msg.epochs, mnist, store, {
        control,
        testFull,
        yieldToHost: this.host.yieldToHost,
        onMessage: (k, message) => this.post({ v: 1, type: 'pairMessage', runId, pair: k, message }),
        onTick: (k, tick, total) =>
          this.post({ v: 1, type: 'pairTick', runId, pair: k, tick, total, tensorBytes: tf.memory().numBytes }),
      });
      this.post({ v: 1, type: 'pairDone', runId, pair: pair.index, record });
    } catch (e) {
      this.post({ v: 1, type: 'pairFailed', runId, pair: pair.index, message: (e as Error).message });
    } finally {
      this.control = null;
    }
  }

  private async analyse(msg: Command<'analyse'>): Promise<void> {
    const t0 = performance.now();
    const { pairs, pca } = await analyseExperiment(await this.host.storeFor(msg.experimentId), msg.pca);
    this.post({ v: 1, type: 'analysed', runId: msg.runId, pairs, pca, ms: performance.now() - t0 });
  }

  private async dimensionality(msg: Command<'dimensionality'>): Promise<void> {
    const t0 = performance.now();
    const { mnist } = await this.ensureData();
    const store = await this.host.storeFor(msg.experimentId);
    await measureDimensionality(store, mnist, msg, (k, total, meanLoss, message) =>
      this.post({ v: 1, type: 'dimProgress', runId: msg.runId, k, total, meanLoss, message }),
    );
    this.post({ v: 1, type: 'dimDone', runId: msg.runId, ms: performance.now() - t0 });
  }
}
