import * as tf from '../core/tf';
import { chooseBackend, type BackendProbe } from '../core/backends/select';
import { registerWasmKernels } from '../core/backends/wasmKernels';
import { validateConfig } from '../core/config';
import { createEvalSet, type EvalSet } from '../core/data/batches';
import type { Mnist } from '../core/data/mnist';
import { PAPER_ENDPOINT } from '../core/train/endpointConfig';
import { BENCHMARK_EVAL_IMAGES, timeEvaluations, timeSgdSteps } from '../core/train/benchmark';
import { ModelSlots, paramsToBuffer } from './models';
import { Runs } from './runs';
import { BaselineJobs } from './baselines';
import { PlaneJobs } from './plane';
import { TrainedJobs } from './curves';
import { Predictor } from './predict';
import { PROTOCOL_VERSION, parseToWorker, type FromWorker, type ToWorker } from './protocol';

/** What the engine needs from the place it runs in (a Web Worker, or a test in Node). */
export interface EngineHost {
  probeBackends(): Promise<BackendProbe[]>;
  /** Called after the backend is chosen, before it is initialised (e.g. wasm paths, threads). */
  prepareBackend?(name: string): Promise<{ threads: boolean }>;
  /** Called once the backend runs, with a callback for a lost device (WebGPU). */
  watchBackend?(name: string, onLost: (why: string) => void): void;
  loadMnist(dataUrl: string): Promise<Mnist>;
  post(msg: FromWorker, transfer?: Transferable[]): void;
  crossOriginIsolated: boolean;
}

type ErrorScope = Extract<FromWorker, { type: 'error' }>['scope'];

/** Which part of the app a failed message concerns (the UI shows errors by scope). */
function scopeOf(msg: ToWorker): ErrorScope {
  switch (msg.type) {
    case 'loadModel':
    case 'exportModel':
      return 'model';
    case 'trainEndpoint':
      return 'train';
    case 'startPath':
    case 'baseline':
    case 'curve':
    case 'autoneb':
    case 'plane':
    case 'predict':
      return 'path';
    case 'loadData':
      return 'data';
    default:
      return 'backend';
  }
}

/** Commands for the running job: they create no tensors, so they need no backend. */
const isControl = (msg: ToWorker) => ['pause', 'resume', 'step', 'stop'].includes(msg.type);

/**
 * The engine worker's message handler, independent of `self`, so tests drive it with a stubbed
 * `post` (as web-llm tests its handler). Dispatch only: model slots live in `ModelSlots`, jobs and
 * their pause/step/stop in `Runs` (hosted by the core's session driver).
 */
export class WorkerEngine {
  private mnist: Mnist | null = null;
  private testFull: EvalSet | null = null;
  private dataUrl = '';
  /** Settles when `init` has chosen and started the backend: nothing may create a tensor before. */
  private backendReady: Promise<void> | null = null;
  private readonly models = new ModelSlots();
  private readonly runs: Runs;
  private readonly baselines: BaselineJobs;
  private readonly plane: PlaneJobs;
  private readonly trained: TrainedJobs;
  private readonly predictor: Predictor;

  constructor(private readonly host: EngineHost) {
    const post = (msg: FromWorker) => host.post(msg);
    this.runs = new Runs((msg, transfer) => host.post(msg, transfer), this.models);
    this.baselines = new BaselineJobs(post, this.models);
    this.trained = new TrainedJobs(post, this.models, this.baselines);
    this.plane = new PlaneJobs(post, this.models, this.trained.held);
    this.predictor = new Predictor(post, this.models, this.plane.tap);
    this.runs.pcaPort = this.plane.tap.asPort(); // keeps the path's snapshots for the plane, then on to PCA
  }

  /** Entry point for every incoming message: validates, dispatches, and reports errors as events. */
  async handle(raw: unknown): Promise<void> {
    let msg: ToWorker;
    try {
      msg = parseToWorker(raw);
    } catch (e) {
      this.post({
        v: PROTOCOL_VERSION,
        type: 'error',
        scope: 'protocol',
        message: (e as Error).message,
        recoverable: false,
      });
      return;
    }
    try {
      await this.dispatch(msg);
    } catch (e) {
      const scope = scopeOf(msg);
      const runId = 'runId' in msg ? msg.runId : undefined;
      this.post({
        v: PROTOCOL_VERSION,
        type: 'error',
        scope,
        message: (e as Error).message,
        recoverable: scope !== 'backend',
        runId,
      });
    }
  }

  private async dispatch(msg: ToWorker): Promise<void> {
    // `handle` is async and the worker does not wait for one message before the next, so the UI's `init` and
    // `loadData`, sent together, overlap: MNIST is fetched while the backend starts, but every message that
    // touches TF.js waits for the backend (a fast fetch used to build the test set on an uninitialised backend).
    if (msg.type === 'init') {
      this.dataUrl = msg.dataUrl;
      this.plane.tap.target = msg.pcaPort ?? null;
      this.backendReady = this.init(msg.backend);
      return this.backendReady;
    }
    if (msg.type === 'loadData') return this.loadData();
    await this.afterInit(isControl(msg));
    switch (msg.type) {
      case 'trainEndpoint': {
        const { seed, epochs, augment, testSamples } = msg;
        const config = { ...PAPER_ENDPOINT, seed, epochs, augment, testSamples: testSamples ?? 10000, reportEvery: 25 };
        await this.runs.trainEndpoint(msg.slot, config, this.requireData(), this.testFull!);
        this.plane.tap.clear(); // the last path no longer joins the endpoints
        return this.postModel(msg.slot);
      }
      case 'loadModel':
        this.models.load(msg.slot, msg.name, msg.bytes); // throws before any state changes
        this.plane.tap.clear();
        return this.postModel(msg.slot);
      case 'exportModel': {
        const model = msg.slot === 'current' ? await this.runs.currentParams() : this.models.get(msg.slot)?.params;
        if (!model) throw new Error(`no model ${msg.slot} to export`);
        const bytes = paramsToBuffer(model);
        return this.post({ v: 1, type: 'modelFile', slot: msg.slot, bytes }, [bytes]);
      }
      case 'benchmark': {
        const { steps, warmup, budgetMs } = msg;
        const train = this.requireData().train;
        return this.runs.exclusive(async () => {
          const msPerStep = await timeSgdSteps(train, { batchSize: 64, warmup, steps, budgetMs });
          const evalMs = await timeEvaluations(train, { images: BENCHMARK_EVAL_IMAGES, rounds: 5 });
          this.post({ v: 1, type: 'benchmarkResult', backend: tf.getBackend(), msPerStep, evalMs });
        });
      }
      case 'startPath':
        return this.runs.runPath(msg.runId, validateConfig(msg.config), this.requireData(), this.testFull!, msg.resume);
      case 'baseline': {
        const mnist = this.requireData();
        return this.runs.exclusive((control) => this.baselines.run(msg, mnist, control));
      }
      case 'curve': {
        const mnist = this.requireData();
        return this.runs.exclusive((control) => this.trained.curve(msg, mnist, control));
      }
      case 'autoneb': {
        const mnist = this.requireData();
        return this.runs.exclusive((control) => this.trained.autoneb(msg, mnist, control));
      }
      case 'plane': {
        const mnist = this.requireData();
        return this.runs.exclusive((control) => this.plane.run(msg, mnist, control));
      }
      case 'predict':
        return this.predictor.run(msg); // not a job: it runs between the current job's steps
      case 'pause':
      case 'resume':
      case 'step':
      case 'stop':
        return this.runs.command(msg.type);
      default: {
        const never: never = msg;
        throw new Error(`unhandled message ${JSON.stringify(never)}`);
      }
    }
  }

  private post(msg: FromWorker, transfer: Transferable[] = []): void {
    this.host.post(msg, transfer);
  }

  private postModel(slot: 'A' | 'B'): void {
    const { info, bytes } = this.models.describe(slot);
    this.post({ v: 1, type: 'model', info, bytes }, [bytes]);
  }

  private async init(requested: string | null): Promise<void> {
    registerWasmKernels();
    const probes = await this.host.probeBackends();
    const choice = chooseBackend(probes, requested);
    const { threads } = (await this.host.prepareBackend?.(choice.name)) ?? { threads: false };
    if (!(await tf.setBackend(choice.name))) throw new Error(`backend ${choice.name} failed to initialise`);
    await tf.ready();
    this.host.watchBackend?.(choice.name, (why) => {
      this.runs.command('stop');
      const message = `the GPU device was lost (${why}); continue from the last checkpoint on another backend`;
      this.post({
        v: 1,
        type: 'error',
        scope: 'backend',
        message,
        recoverable: true,
        runId: this.runs.runId ?? undefined,
      });
    });
    const { crossOriginIsolated } = this.host;
    this.post({
      v: 1,
      type: 'ready',
      backend: choice.name,
      reason: choice.reason,
      probes,
      crossOriginIsolated,
      threads,
    });
  }

  /**
   * Waits for `init` to start the backend; its failure is this message's failure too, but for control commands,
   * which need no backend. Every message but init waits here (loadData once its files are in), control commands
   * too, since a `stop` must still reach the job requested before it: the same steps for each, so they keep their
   * order.
   */
  private async afterInit(control: boolean): Promise<void> {
    if (!this.backendReady) {
      if (control) return;
      throw new Error('the engine is not initialised: `init` must come first');
    }
    try {
      await this.backendReady;
    } catch (e) {
      if (!control) throw e;
    }
  }

  private async loadData(): Promise<void> {
    if (this.mnist) return;
    const t0 = performance.now();
    const mnist = await this.host.loadMnist(this.dataUrl); // fetched while the backend starts
    await this.afterInit(false);
    if (this.mnist) return;
    this.testFull = createEvalSet(mnist.test);
    this.mnist = mnist;
    const { train, test } = mnist;
    this.post({ v: 1, type: 'dataLoaded', train: train.count, test: test.count, ms: performance.now() - t0 });
  }

  private requireData(): Mnist {
    if (!this.mnist) throw new Error('MNIST is not loaded yet');
    return this.mnist;
  }
}
