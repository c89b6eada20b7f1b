import {
  parseFromWorker,
  PROTOCOL_VERSION,
  type BaselineKind,
  type CurveKind,
  type BenchmarkResult,
  type FromWorker,
  type LineKind,
  type PredictTarget,
  type Slot,
  type ToWorker,
} from '../worker/protocol';
import {
  AUTONEB_DEFAULTS,
  BASELINE_TRAIN_IMAGES,
  CURVE_DEFAULTS,
  LINE_POINTS,
  PLANE_DEFAULTS,
  TRAINED_POINTS,
} from './state/jobDefaults';
import type { RunConfig } from '../core/config';
import type { PcaMessage } from '../worker/pca.worker';
import { store } from './state/store';
import type { PlaneView } from './state/uiState';
import { attachSeries } from './state/seriesEffects';
import { runStorage } from './storage/runStorage';
import { persistRuns } from './storage/persistRuns';
import type { EngineControl } from './recovery';
import { download } from './download';
import { Outbox } from './outbox';
import { RUN_PANEL_FRAMES } from './components/panels/useStaged';

type Command = ToWorker extends infer T ? (T extends { v: 1 } ? Omit<T, 'v'> : never) : never;

/**
 * The one place that owns the workers (squoosh's worker-bridge): creates the engine and PCA
 * workers, validates every event and dispatches it to the store. What follows from an event
 * (state, series, storage) is the reducer's and the store subscribers' business.
 */
export class EngineBridge implements EngineControl {
  private engine: Worker | null = null;
  private pca: Worker | null = null;
  private benchmarkListener: ((result: BenchmarkResult) => void) | null = null;
  /** Commands to the engine worker, in order; a job that mounts panels waits until they are on screen (startJob). */
  private readonly outbox = new Outbox<ToWorker>((msg, transfer) => this.engine?.postMessage(msg, transfer));

  /** Times SGD steps and evaluations in the worker (used by `npm run bench` through window.__lowloss). */
  benchmark(steps: number, warmup: number, budgetMs: number): Promise<BenchmarkResult> {
    return new Promise((resolve) => {
      this.benchmarkListener = resolve;
      this.send({ type: 'benchmark', steps, warmup, budgetMs });
    });
  }

  start(backend: string | null): void {
    this.stop();
    store.dispatch({ type: 'engineStarting' });
    this.engine = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), {
      type: 'module',
      name: 'engine',
    });
    this.pca = new Worker(new URL('../worker/pca.worker.ts', import.meta.url), { type: 'module', name: 'pca' });
    const channel = new MessageChannel();
    this.pca.postMessage({ type: 'port', port: channel.port2 }, [channel.port2]);
    this.engine.onmessage = (e) => this.onEvent(e.data);
    this.engine.onerror = (e) => this.onCrash(`the engine worker crashed: ${e.message || 'unknown error'}`);
    this.engine.onmessageerror = () => this.onCrash('a message from the engine worker could not be read');
    this.pca.onmessage = (e) => this.onPca(e.data as PcaMessage);
    const dataUrl = new URL(`${import.meta.env.BASE_URL}data/mnist/`, location.href).href;
    this.send({ type: 'init', backend: backend as never, dataUrl, pcaPort: channel.port1 }, [channel.port1]);
    this.send({ type: 'loadData' });
  }

  /** Asks the worker for MNIST again (after a failed load; the worker keeps a loaded set). */
  loadData(): void {
    store.dispatch({ type: 'dataRequested' });
    this.send({ type: 'loadData' });
  }

  stop(): void {
    this.outbox.clear();
    this.engine?.terminate();
    this.pca?.terminate();
    this.engine = this.pca = null;
  }

  send(cmd: Command, transfer: Transferable[] = []): void {
    if (!this.engine) throw new Error('the engine worker is not running');
    this.outbox.send({ ...cmd, v: PROTOCOL_VERSION } as ToWorker, transfer);
  }

  /**
   * Sends a job that mounts panels once `frames` frames have shown them (outbox.ts): their mount does not
   * share the cores with the job's first computations. Two frames: the commit's and the layout and paint after
   * it; a path's panels mount one per frame (RUN_PANEL_FRAMES). Tens of ms against a job of seconds.
   */
  private startJob(cmd: Command, frames = 2): void {
    if (!this.engine) throw new Error('the engine worker is not running');
    this.outbox.sendWhenDrawn({ ...cmd, v: PROTOCOL_VERSION } as ToWorker, frames);
  }

  trainEndpoint(slot: Slot, seed: number, epochs: number, augment: boolean, testSamples = 10000): void {
    store.dispatch({ type: 'trainRequested', slot });
    this.startJob({ type: 'trainEndpoint', slot, seed, epochs, augment, testSamples });
  }

  loadModel(slot: Slot, name: string, bytes: ArrayBuffer): void {
    this.send({ type: 'loadModel', slot, name, bytes }, [bytes]);
  }

  /**
   * Runs a straight-line baseline (issue #13) in the worker; resolves with its barrier when its
   * curve arrives, rejects on its error or when it is stopped.
   */
  baseline(kind: LineKind, trainImages = BASELINE_TRAIN_IMAGES, points = LINE_POINTS): Promise<number> {
    const runId = this.requestBaseline(kind, trainImages, points);
    this.startJob({ type: 'baseline', runId, kind, points, trainImages });
    return this.untilDone(runId, 'baselineDone').then((e) => e.curve.barrier);
  }

  /** Trains a Bezier or polychain curve, then evaluates it (issue #13); resolves with its barrier. */
  curve(kind: CurveKind, opts: Partial<typeof CURVE_DEFAULTS> = {}, points = TRAINED_POINTS): Promise<number> {
    const trainImages = BASELINE_TRAIN_IMAGES;
    const runId = this.requestBaseline(kind, trainImages, points);
    this.startJob({ type: 'curve', runId, kind, points, trainImages, ...CURVE_DEFAULTS, ...opts });
    return this.untilDone(runId, 'baselineDone').then((e) => e.curve.barrier);
  }

  /** Relaxes an AutoNEB chain, then evaluates it (issue #13); resolves with its barrier. */
  autoneb(opts: Partial<typeof AUTONEB_DEFAULTS> = {}, points = TRAINED_POINTS): Promise<number> {
    const trainImages = BASELINE_TRAIN_IMAGES;
    const runId = this.requestBaseline('autoneb', trainImages, points);
    this.startJob({ type: 'autoneb', runId, points, trainImages, ...AUTONEB_DEFAULTS, ...opts });
    return this.untilDone(runId, 'baselineDone').then((e) => e.curve.barrier);
  }

  /** Computes the landscape plane through A, B and C (SPEC §9) in the worker; resolves when it is done. */
  plane(grid: number = PLANE_DEFAULTS.grid, samples: number = PLANE_DEFAULTS.samples): Promise<void> {
    const runId = `plane-${Date.now().toString(36)}`;
    const view: PlaneView = { runId, state: 'running', grid, geometry: null, rows: [], plane: null, ms: null };
    store.dispatch({ type: 'planeRequested', view });
    this.startJob({ type: 'plane', runId, grid, margin: PLANE_DEFAULTS.margin, samples });
    return this.untilDone(runId, 'planeDone').then(() => undefined);
  }

  /** Asks models A, B and path snapshots for the digit drawn (28×28 grey levels in [0, 1]). */
  predict(image: Float32Array, targets: PredictTarget[], pathRunId: string | null): void {
    const requestId = `predict-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    store.dispatch({ type: 'predictRequested', requestId });
    const copy = Float32Array.from(image);
    this.send({ type: 'predict', requestId, image: copy, targets, pathRunId }, [copy.buffer]);
  }

  /** Stops the worker's current job (a path, a baseline, the plane) after its current step. */
  stopJob(): void {
    this.send({ type: 'stop' });
  }

  private requestBaseline(kind: BaselineKind, trainImages: number, points: number): string {
    const runId = `${kind}-${Date.now().toString(36)}`;
    const empty = { t: [], trainLoss: [], testAccuracy: [], barrier: null, length: null, sgdSteps: null };
    const view = { kind, runId, state: 'running', trainImages, total: points, ...empty, training: null } as const;
    store.dispatch({ type: 'baselineRequested', view });
    return runId;
  }

  /** The job's final event; rejects on its error, or when it stops. */
  private untilDone<T extends 'baselineDone' | 'planeDone'>(
    runId: string,
    type: T,
  ): Promise<Extract<FromWorker, { type: T }>> {
    return new Promise((resolve, reject) => {
      const off = store.onAction((a) => {
        if (a.type !== 'worker' || !('runId' in a.event) || a.event.runId !== runId) return;
        const e = a.event;
        if (e.type === type) resolve(e as Extract<FromWorker, { type: T }>);
        else if (e.type === 'error') reject(new Error(e.message));
        else if (e.type === 'runState' && e.state === 'stopped') reject(new Error(`${runId} was stopped`));
        else return;
        off();
      });
    });
  }

  /** Starts a new run, or continues one (`resume`) in the stored run `storeId` (default: the one shown). */
  startPath(config: RunConfig, resume?: { tick: number; params: ArrayBuffer }, storeId?: string): string {
    const runId = `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const from = resume?.tick ?? null;
    const base = { runId, config, state: 'starting' as const, totalTicks: config.ticks, lastTick: from ?? 0 };
    const speeds = { ticksPerSecond: 0, stepsPerSecond: 0 };
    if (resume) {
      const id = storeId ?? store.get().run?.storeId ?? runId;
      store.dispatch({ type: 'runRequested', run: { ...base, ...speeds, resumedFrom: from, storeId: id } });
    } else {
      store.resetRun(null);
      const models = Object.fromEntries(
        [...store.modelBytes].filter(([slot]) => slot === 'A' || config.mode === 'm2m'),
      );
      const record = { createdAt: Date.now(), models };
      store.dispatch({ type: 'runRequested', run: { ...base, ...speeds, resumedFrom: null, storeId: runId }, record });
    }
    // A copy: the caller keeps its checkpoint (the store's, or the stored run's) to continue from again.
    const copy = resume && { tick: resume.tick, params: resume.params.slice(0) };
    this.startJob({ type: 'startPath', runId, config, resume: copy }, RUN_PANEL_FRAMES);
    return runId;
  }

  private onCrash(message: string): void {
    store.dispatch({ type: 'workerLost', message });
  }

  private onPca(msg: PcaMessage): void {
    if (msg?.type !== 'pca' || msg.runId !== store.get().run?.runId) return;
    store.setPca(msg.tensor, msg.view);
  }

  private onEvent(raw: unknown): void {
    let event: FromWorker;
    try {
      event = parseFromWorker(raw);
    } catch (err) {
      store.dispatch({
        type: 'error',
        error: { scope: 'protocol', message: (err as Error).message, recoverable: false },
      });
      return;
    }
    store.dispatch({ type: 'worker', event });
    if (event.type === 'modelFile') download(new Blob([event.bytes]), `lenet5-${event.slot}.safetensors`);
    if (event.type === 'benchmarkResult') this.benchmarkListener?.(event);
  }
}

export const bridge = new EngineBridge();
attachSeries(store);
persistRuns(store, runStorage);
runStorage.flushOnPageHide();
// Automation hook for benchmarks and tests (no effect on the app).
(globalThis as { __lowloss?: unknown }).__lowloss = { bridge, store };
