import { parseFromWorker, PROTOCOL_VERSION, type FromWorker, type Slot, type ToWorker } from '../worker/protocol';
import type { RunConfig } from '../core/config';
import type { PcaMessage } from '../worker/pca.worker';
import { store } from './store';
import { PathSeries } from './pathSeries';
import { runStorage, type StoredRun } from './storage';

type Command = ToWorker extends infer T ? (T extends { v: 1 } ? Omit<T, 'v'> : never) : never;

/**
 * The one place that owns the workers (squoosh's worker-bridge): creates the engine and PCA
 * workers, validates every event, and turns events into store updates. Dropping events of
 * an old run is done here by runId.
 */
export class EngineBridge {
  private engine: Worker | null = null;
  private pca: Worker | null = null;
  private benchmarkListener: ((ms: number[], backend: string) => void) | null = null;

  /** Times SGD steps in the worker (used by `npm run bench` through window.__lowloss). */
  benchmark(steps: number, warmup: number, budgetMs: number): Promise<{ backend: string; msPerStep: number[] }> {
    return new Promise((resolve) => {
      this.benchmarkListener = (msPerStep, backend) => resolve({ backend, msPerStep });
      this.send({ type: 'benchmark', steps, warmup, budgetMs });
    });
  }

  start(backend: string | null): void {
    this.stop();
    store.update({ workerLost: null, backend: null });
    this.engine = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' });
    this.pca = new Worker(new URL('../worker/pca.worker.ts', import.meta.url), { type: 'module', name: 'pca' });
    const channel = new MessageChannel();
    this.pca.postMessage({ type: 'port', port: channel.port2 }, [channel.port2]);
    this.engine.onmessage = (e) => this.onEvent(e.data);
    this.engine.onerror = (e) => this.onCrash(`the engine worker crashed: ${e.message || 'unknown error'}`);
    this.engine.onmessageerror = () => this.onCrash('a message from the engine worker could not be read');
    this.pca.onmessage = (e) => this.onPca(e.data as PcaMessage);
    const dataUrl = new URL(`${import.meta.env.BASE_URL}data/mnist/`, location.href).href;
    this.send({ type: 'init', backend: backend as never, dataUrl, pcaPort: channel.port1 }, [channel.port1]);
    store.update({ data: { state: 'loading' } });
    this.send({ type: 'loadData' });
  }

  stop(): void {
    this.engine?.terminate();
    this.pca?.terminate();
    this.engine = this.pca = null;
  }

  send(cmd: Command, transfer: Transferable[] = []): void {
    if (!this.engine) throw new Error('the engine worker is not running');
    this.engine.postMessage({ ...cmd, v: PROTOCOL_VERSION }, transfer);
  }

  trainEndpoint(slot: Slot, seed: number, epochs: number, augment: boolean, testSamples = 10000): void {
    store.update((s) => ({ training: { ...s.training, [slot]: { step: 0, totalSteps: 1, epoch: 0, trainLoss: NaN, testAccuracy: null, stepsPerSecond: 0, curve: [] } } }));
    this.send({ type: 'trainEndpoint', slot, seed, epochs, augment, testSamples });
  }

  loadModel(slot: Slot, name: string, bytes: ArrayBuffer): void {
    this.send({ type: 'loadModel', slot, name, bytes }, [bytes]);
  }

  startPath(config: RunConfig, resume?: { tick: number; params: ArrayBuffer }, storeId?: string): string {
    const runId = `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const id = storeId ?? store.get().run?.storeId ?? runId;
    if (!resume) {
      store.resetRun(null);
      const models = Object.fromEntries([...store.modelBytes].filter(([slot]) => slot === 'A' || config.mode === 'm2m'));
      void runStorage.create({ runId, createdAt: Date.now(), config, state: 'starting', lastTick: 0, tensorNames: [], groupNames: [], checkpoint: null }, models).catch(storageError);
    }
    store.update({ run: { runId, config, state: 'starting', totalTicks: config.ticks, lastTick: resume?.tick ?? 0, ticksPerSecond: 0, stepsPerSecond: 0, resumedFrom: resume?.tick ?? null, storeId: resume ? id : runId } });
    this.send({ type: 'startPath', runId, config, resume: resume && { tick: resume.tick, params: resume.params.slice(0) } });
    return runId;
  }

  private onCrash(message: string): void {
    store.update((s) => ({ workerLost: message, run: s.run && s.run.state === 'running' ? { ...s.run, state: 'failed' } : s.run }));
    store.addError({ scope: 'worker', message, recoverable: true });
  }

  private onPca(msg: PcaMessage): void {
    if (msg?.type !== 'pca' || msg.runId !== store.get().run?.runId) return;
    store.setPca(msg.tensor, msg.view);
  }

  private onEvent(raw: unknown): void {
    let e: FromWorker;
    try {
      e = parseFromWorker(raw);
    } catch (err) {
      store.addError({ scope: 'protocol', message: (err as Error).message, recoverable: false });
      return;
    }
    const run = store.get().run;
    switch (e.type) {
      case 'ready':
        store.update({ backend: { name: e.backend, reason: e.reason, threads: e.threads, crossOriginIsolated: e.crossOriginIsolated } });
        return;
      case 'dataLoaded':
        store.update({ data: { state: 'ready', ms: e.ms } });
        return;
      case 'trainProgress':
        store.update((s) => {
          const prev = s.training[e.slot];
          const curve = [...(prev?.curve ?? []), [e.step, e.trainLoss] as [number, number]];
          return { training: { ...s.training, [e.slot]: { step: e.step, totalSteps: e.totalSteps, epoch: e.epoch, trainLoss: e.trainLoss, testAccuracy: e.testAccuracy ?? prev?.testAccuracy ?? null, stepsPerSecond: e.stepsPerSecond, curve } } };
        });
        return;
      case 'model':
        store.modelBytes.set(e.info.slot, { name: e.info.name, bytes: e.bytes });
        store.update((s) => ({ models: { ...s.models, [e.info.slot]: e.info } }));
        return;
      case 'modelFile':
        download(new Blob([e.bytes]), `lenet5-${e.slot}.safetensors`);
        return;
      case 'runStarted':
        if (e.runId !== run?.runId) return;
        // A resumed run keeps the points up to its checkpoint; a new run starts empty.
        if (run.resumedFrom !== null && store.series) store.series.continueAs(e.runId, run.resumedFrom);
        else store.resetRun(new PathSeries(e.runId, e.tensorNames, e.groupNames));
        store.update({ run: { ...run, totalTicks: e.totalTicks } });
        runStorage.update(run.storeId, { tensorNames: e.tensorNames, groupNames: e.groupNames, state: 'running' });
        return;
      case 'points':
        if (e.runId !== run?.runId || !store.series) return; // points of an old run are dropped
        store.series.append(e.columns);
        runStorage.appendPoints(run.storeId, e.columns);
        store.update({ run: { ...run, lastTick: e.columns.tick[e.columns.count - 1], ticksPerSecond: e.ticksPerSecond, stepsPerSecond: e.stepsPerSecond } });
        return;
      case 'checkpoint':
        if (e.runId !== run?.runId) return;
        store.update({ checkpoint: { runId: e.runId, tick: e.tick, params: e.params } });
        runStorage.update(run.storeId, { checkpoint: { tick: e.tick, params: e.params }, lastTick: e.tick });
        return;
      case 'runState':
        if (e.runId === run?.runId && run.state !== 'failed') {
          store.update({ run: { ...run, state: e.state } });
          runStorage.update(run.storeId, { state: e.state, lastTick: run.lastTick });
        }
        return;
      case 'benchmarkResult':
        this.benchmarkListener?.(e.msPerStep, e.backend);
        return;
      case 'error':
        store.addError({ scope: e.scope, message: e.message, recoverable: e.recoverable, tick: e.tick });
        if (e.scope === 'data') store.update({ data: { state: 'error' } });
        if (e.scope === 'train') store.update((s) => ({ training: { A: s.models.A ? null : s.training.A, B: s.models.B ? null : s.training.B } }));
        if (e.runId && e.runId === run?.runId) {
          store.update({ run: { ...run, state: 'failed' } });
          runStorage.update(run.storeId, { state: 'failed', lastTick: run.lastTick });
        }
        return;
      default: {
        const never: never = e;
        store.addError({ scope: 'protocol', message: `unhandled event ${JSON.stringify(never)}`, recoverable: false });
      }
    }
  }
}

function storageError(e: Error): void {
  store.addError({ scope: 'storage', message: `could not save the run: ${e.message}`, recoverable: true });
}
runStorage.onError = storageError;

/** Reopens a stored run: its points, and (if it did not finish) a continuation from its checkpoint. */
export async function reopenRun(run: StoredRun, continueIt: boolean): Promise<void> {
  const upTo = continueIt && run.checkpoint ? run.checkpoint.tick : Infinity;
  const series = await runStorage.loadSeries(run, upTo);
  for (const [slot, m] of Object.entries(await runStorage.models(run.runId)) as Array<['A' | 'B', { name: string; bytes: ArrayBuffer }]>) {
    store.modelBytes.set(slot, m);
    if (continueIt) bridge.loadModel(slot, m.name, m.bytes.slice(0));
  }
  const last = series.length ? series.tick.data[series.length - 1] : 0;
  store.resetRun(series);
  store.update({ errors: [], run: { runId: run.runId, config: run.config, state: run.state === 'done' ? 'done' : 'stopped', totalTicks: run.config.ticks, lastTick: last, ticksPerSecond: 0, stepsPerSecond: 0, resumedFrom: null, storeId: run.runId } });
  if (continueIt && run.checkpoint) bridge.startPath(run.config, { tick: run.checkpoint.tick, params: run.checkpoint.params }, run.runId);
}

export function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

export const bridge = new EngineBridge();
// Automation hook for benchmarks and tests (no effect on the app).
(globalThis as { __lowloss?: unknown }).__lowloss = { bridge, store };
