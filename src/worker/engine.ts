import * as tf from '../core/tf';
import { chooseBackend, type BackendProbe } from '../core/backends/select';
import { registerWasmConv2DBackpropFilter } from '../core/backends/wasmConvFilterGrad';
import { validateConfig, type RunConfig } from '../core/config';
import { createBatchSource, createEvalSet, type EvalSet } from '../core/data/batches';
import { takeSplit, type Mnist } from '../core/data/mnist';
import { readLenet5, writeLenet5 } from '../core/io/checkpoint';
import { PathState, createPathContext, llpfPath, phasesOf } from '../core/llpf/path';
import { LENET5, LENET5_GROUPS, disposeParams, initLenet5, toDevice, toHost, type HostParams } from '../core/model/lenet5';
import { deriveSeed } from '../core/random';
import { trainEndpoint, PAPER_ENDPOINT_TRAINING } from '../core/train/endpoint';
import { evaluate } from '../core/train/evaluate';
import { REFERENCE_AUGMENT } from '../core/data/augment';
import { PointBatcher } from './pointBatch';
import { timeSgdSteps } from '../core/train/benchmark';
import { PROTOCOL_VERSION, parseToWorker, type FromWorker, type Slot, type SnapshotMessage, type ToWorker } from './protocol';

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

type RunControl = { paused: boolean; stop: boolean; stepsAllowed: number; wake: (() => void) | null };

const TENSOR_NAMES = LENET5.map((p) => p.name);
const GROUP_NAMES = [...LENET5_GROUPS];

/** Lets queued messages (pause, stop) in between ticks: a macrotask with no timer clamping. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

function paramsToBuffer(p: HostParams): ArrayBuffer {
  const bytes = writeLenet5(p);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * The engine worker's message handler, independent of `self`, so tests can drive it with a
 * stubbed `post` (as web-llm tests its handler). One job (training or a path) at a time.
 */
export class WorkerEngine {
  private mnist: Mnist | null = null;
  private testFull: EvalSet | null = null;
  private models = new Map<Slot, { params: HostParams; name: string; testAccuracy: number | null }>();
  private current: { runId: string; state: PathState } | null = null;
  private control: RunControl | null = null;
  private busy: Promise<void> | null = null;
  private pcaPort: MessagePort | null = null;
  private dataUrl = '';

  constructor(private readonly host: EngineHost) {}

  /** Entry point for every incoming message: validates, dispatches, and reports errors as events. */
  async handle(raw: unknown): Promise<void> {
    let msg: ToWorker;
    try {
      msg = parseToWorker(raw);
    } catch (e) {
      this.error('protocol', (e as Error).message, false);
      return;
    }
    try {
      await this.dispatch(msg);
    } catch (e) {
      const scope = msg.type === 'loadModel' || msg.type === 'exportModel' ? 'model' : msg.type === 'trainEndpoint' ? 'train' : msg.type === 'startPath' ? 'path' : msg.type === 'loadData' ? 'data' : 'backend';
      const tick = (e as { tick?: number }).tick;
      this.error(scope, (e as Error).message, scope !== 'backend', msg.type === 'startPath' ? msg.runId : undefined, tick);
    }
  }

  private async dispatch(msg: ToWorker): Promise<void> {
    switch (msg.type) {
      case 'init':
        this.dataUrl = msg.dataUrl;
        return this.init(msg.backend, msg.pcaPort ?? null);
      case 'loadData':
        return this.loadData();
      case 'trainEndpoint':
        return this.exclusive(() => this.trainEndpoint(msg.slot, msg.seed, msg.epochs, msg.augment, msg.testSamples ?? 10000));
      case 'loadModel': {
        const { params, metadata } = readLenet5(new Uint8Array(msg.bytes)); // throws before any state changes
        const testAccuracy = metadata.testAccuracy ? Number(metadata.testAccuracy) : null;
        this.models.set(msg.slot, { params, name: msg.name, testAccuracy });
        this.postModel(msg.slot);
        return;
      }
      case 'exportModel': {
        const params = msg.slot === 'current' ? (this.current ? await toHost(this.current.state.current) : null) : (this.models.get(msg.slot)?.params ?? null);
        if (!params) throw new Error(`no model ${msg.slot} to export`);
        const bytes = paramsToBuffer(params);
        this.post({ v: 1, type: 'modelFile', slot: msg.slot, bytes }, [bytes]);
        return;
      }
      case 'benchmark':
        return this.exclusive(async () => {
          const msPerStep = await timeSgdSteps(this.requireData().train, { batchSize: 64, warmup: msg.warmup, steps: msg.steps, budgetMs: msg.budgetMs });
          this.post({ v: 1, type: 'benchmarkResult', backend: tf.getBackend(), msPerStep });
        });
      case 'startPath':
        return this.exclusive(() => this.runPath(msg.runId, validateConfig(msg.config), msg.resume));
      case 'pause':
        if (this.control) this.control.paused = true;
        return;
      case 'resume':
        if (this.control) {
          this.control.paused = false;
          this.control.wake?.();
        }
        return;
      case 'step':
        if (this.control) {
          this.control.stepsAllowed++;
          this.control.wake?.();
        }
        return;
      case 'stop':
        if (this.control) {
          this.control.stop = true;
          this.control.wake?.();
        }
        return;
      default: {
        const never: never = msg;
        throw new Error(`unhandled message ${JSON.stringify(never)}`);
      }
    }
  }

  private post(msg: FromWorker, transfer: Transferable[] = []): void {
    this.host.post(msg, transfer);
  }

  private error(scope: Extract<FromWorker, { type: 'error' }>['scope'], message: string, recoverable: boolean, runId?: string, tick?: number): void {
    this.post({ v: PROTOCOL_VERSION, type: 'error', scope, message, recoverable, runId, tick });
  }

  private async exclusive(job: () => Promise<void>): Promise<void> {
    if (this.busy) throw new Error('the engine is busy: stop the current job first');
    this.busy = job();
    try {
      await this.busy;
    } finally {
      this.busy = null;
    }
  }

  private async init(requested: string | null, pcaPort: MessagePort | null): Promise<void> {
    this.pcaPort = pcaPort;
    registerWasmConv2DBackpropFilter();
    const probes = await this.host.probeBackends();
    const choice = chooseBackend(probes, requested);
    const { threads } = (await this.host.prepareBackend?.(choice.name)) ?? { threads: false };
    if (!(await tf.setBackend(choice.name))) throw new Error(`backend ${choice.name} failed to initialise`);
    await tf.ready();
    this.host.watchBackend?.(choice.name, (why) => {
      if (this.control) this.control.stop = true;
      this.error('backend', `the GPU device was lost (${why}); continue from the last checkpoint on another backend`, true, this.current?.runId);
    });
    this.post({ v: 1, type: 'ready', backend: choice.name, reason: choice.reason, probes, crossOriginIsolated: this.host.crossOriginIsolated, threads });
  }

  private async loadData(): Promise<void> {
    if (this.mnist) return;
    const t0 = performance.now();
    this.mnist = await this.host.loadMnist(this.dataUrl);
    this.testFull = createEvalSet(this.mnist.test);
    this.post({ v: 1, type: 'dataLoaded', train: this.mnist.train.count, test: this.mnist.test.count, ms: performance.now() - t0 });
  }

  private requireData(): Mnist {
    if (!this.mnist) throw new Error('MNIST is not loaded yet');
    return this.mnist;
  }

  private async trainEndpoint(slot: Slot, seed: number, epochs: number, augment: boolean, testSamples: number): Promise<void> {
    const mnist = this.requireData();
    const test = testSamples >= mnist.test.count ? this.testFull! : createEvalSet(takeSplit(mnist.test, testSamples));
    const params = initLenet5(seed);
    const batches = createBatchSource(mnist.train, { batchSize: 64, seed: deriveSeed(seed, 'batches'), augment: augment ? REFERENCE_AUGMENT : null });
    const control: RunControl = (this.control = { paused: false, stop: false, stepsAllowed: 0, wake: null });
    let steps = 0;
    try {
      const final = await trainEndpoint(params, batches, test, { ...PAPER_ENDPOINT_TRAINING, epochs, reportEvery: 25 }, {
        onProgress: (p) =>
          this.post({ v: 1, type: 'trainProgress', slot, step: p.step, totalSteps: p.totalSteps, epoch: p.epoch, trainLoss: p.trainLoss, testAccuracy: p.test?.accuracy ?? null, testLoss: p.test?.loss ?? null, stepsPerSecond: p.stepsPerSecond }),
        gate: async () => {
          if (++steps % 10 === 0) await yieldToEventLoop();
          await this.waitWhilePaused(control);
          if (control.stop) throw new Error(`training of model ${slot} stopped`);
        },
      });
      const testAccuracy = final?.accuracy ?? (await evaluate(params, test)).accuracy;
      this.models.set(slot, { params: await toHost(params), name: `trained (seed ${seed}, ${+epochs.toPrecision(3)} epoch${epochs === 1 ? '' : 's'})`, testAccuracy });
      this.postModel(slot);
    } finally {
      disposeParams(params);
      batches.dispose();
      if (test !== this.testFull) test.dispose();
      this.control = null;
    }
  }

  private postModel(slot: Slot): void {
    const m = this.models.get(slot)!;
    const bytes = paramsToBuffer(m.params);
    this.post({ v: 1, type: 'model', info: { slot, name: m.name, testAccuracy: m.testAccuracy }, bytes }, [bytes]);
  }

  private async waitWhilePaused(control: RunControl): Promise<void> {
    while (control.paused && !control.stop && control.stepsAllowed === 0) {
      await new Promise<void>((resolve) => (control.wake = resolve));
      control.wake = null;
    }
    if (control.paused && control.stepsAllowed > 0) control.stepsAllowed--;
  }

  private async runPath(runId: string, config: RunConfig, resume?: { tick: number; params: ArrayBuffer }): Promise<void> {
    const mnist = this.requireData();
    const a = this.models.get('A');
    const b = this.models.get('B');
    if (!a) throw new Error('model A is missing: train or load it first');
    if (config.mode === 'm2m' && !b) throw new Error('model B is missing: M2M needs a destination');
    const A = toDevice(a.params);
    const B = config.mode === 'm2m' ? toDevice(b!.params) : null;
    const resumeFrom = resume ? toDevice(readLenet5(new Uint8Array(resume.params)).params) : undefined;
    this.current?.state.dispose();
    const state = new PathState(A, B, config, resumeFrom);
    state.tick = resume?.tick ?? 0;
    this.current = { runId, state };
    const ctx = createPathContext(mnist, config, state.tick, this.testFull!);
    const control: RunControl = (this.control = { paused: false, stop: false, stepsAllowed: 0, wake: null });
    const totalTicks = phasesOf(config).reduce((n, p) => n + p.ticks, 0);
    this.post({ v: 1, type: 'runStarted', runId, tensorNames: TENSOR_NAMES, groupNames: GROUP_NAMES, totalTicks });
    this.post({ v: 1, type: 'runState', runId, state: 'running' });
    const batcher = new PointBatcher(TENSOR_NAMES, GROUP_NAMES);
    const t0 = performance.now();
    let ticks = 0;
    let sgdSteps = 0;
    const flush = () => {
      const out = batcher.flush(performance.now());
      if (!out) return;
      const secs = (performance.now() - t0) / 1000;
      this.post({ v: 1, type: 'points', runId, columns: out.columns, ticksPerSecond: ticks / secs, stepsPerSecond: sgdSteps / secs }, out.transfer);
    };
    let finished: 'done' | 'stopped' = 'done';
    try {
      for await (const { point, snapshot } of llpfPath(state, ctx)) {
        if (point.tick > (resume?.tick ?? 0)) ticks++;
        sgdSteps += point.rounds;
        batcher.add(point);
        if (snapshot) {
          flush(); // the UI holds every point up to a checkpoint before it holds the checkpoint
          this.sendSnapshot(runId, snapshot.tick, snapshot.tensors);
        } else if (batcher.due(performance.now())) flush();
        await yieldToEventLoop();
        if (control.paused) {
          flush();
          this.post({ v: 1, type: 'runState', runId, state: 'paused' });
          await this.waitWhilePaused(control);
          if (!control.paused) this.post({ v: 1, type: 'runState', runId, state: 'running' });
        }
        if (control.stop) {
          finished = 'stopped';
          break;
        }
      }
    } catch (e) {
      flush(); // the points so far are kept
      throw Object.assign(new Error((e as Error).message), { tick: state.tick });
    } finally {
      flush();
      disposeParams(A);
      if (B) disposeParams(B);
      if (resumeFrom) disposeParams(resumeFrom);
      ctx.batches.dispose();
      ctx.testSubset.dispose();
      this.control = null;
    }
    this.post({ v: 1, type: 'runState', runId, state: finished });
  }

  /** Snapshot → PCA worker (transferred), and a checkpoint → UI, so a crash can resume from it. */
  private sendSnapshot(runId: string, tick: number, tensors: Record<string, Float32Array>): void {
    const params = paramsToBuffer(new Map(Object.entries(tensors)));
    this.post({ v: 1, type: 'checkpoint', runId, tick, params }, [params]);
    if (this.pcaPort) {
      const msg: SnapshotMessage = { v: 1, type: 'snapshot', runId, tick, tensors };
      this.pcaPort.postMessage(msg, Object.values(tensors).map((t) => t.buffer as ArrayBuffer));
    }
  }
}
