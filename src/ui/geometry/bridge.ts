import {
  GEOMETRY_PROTOCOL_VERSION,
  parseFromGeometry,
  type FromGeometry,
  type GeometryJob,
  type ModelFile,
} from '../../worker/geometryProtocol';
import { store } from '../state/store';
import { geometryStore, type GeometryStore } from './store';
import type { JobSlot } from './state';
import { PathSnapshots } from './snapshots';

/** A job as the section asks for it: the protocol's job without version and runId. */
export type JobRequest = GeometryJob extends infer T ? (T extends GeometryJob ? Omit<T, 'v' | 'runId'> : never) : never;

/** A cancelled job that does not yield within this long is stopped by restarting the worker (ms). */
const CANCEL_GRACE_MS = 1500;

/**
 * The one place that owns the geometry worker (squoosh's worker-bridge, as src/ui/bridge.ts): creates
 * it when the section first opens, validates every event into the geometry store, keeps the model
 * files that jobs send back, and cancels a job — cooperatively, or by restarting the worker when the
 * job has no yield point (population study, binary training).
 */
export class GeometryBridge {
  private worker: Worker | null = null;
  private backend: string | null = null;
  readonly snapshots: PathSnapshots;

  constructor(private readonly gs: GeometryStore) {
    this.snapshots = new PathSnapshots((runId, ticks) => gs.dispatch({ type: 'snapshots', runId, ticks }));
  }

  /** Starts the worker (once; again after a crash or a forced cancel). */
  start(backend: string | null): void {
    this.backend = backend;
    if (this.worker) return;
    this.gs.dispatch({ type: 'workerStarting' });
    const w = new Worker(new URL('../../worker/geometry.worker.ts', import.meta.url), {
      type: 'module',
      name: 'geometry',
    });
    w.onmessage = (e) => this.onEvent(e.data);
    w.onerror = (e) => this.onCrash(`the geometry worker crashed: ${e.message || 'unknown error'}`);
    w.onmessageerror = () => this.onCrash('a message from the geometry worker could not be read');
    this.worker = w;
    const dataUrl = new URL(`${import.meta.env.BASE_URL}data/mnist/`, location.href).href;
    w.postMessage({ v: GEOMETRY_PROTOCOL_VERSION, type: 'init', backend, dataUrl });
  }

  stop(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  /** Sends a job; its events fill `slot`. Returns the runId. */
  run(job: JobRequest, slot: JobSlot, label: string, transfer: Transferable[] = []): string {
    if (this.gs.get().job) throw new Error('a geometry job is already running: wait for it or cancel it');
    if (!this.worker) this.start(this.backend);
    const runId = `${job.type}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    this.gs.dispatch({ type: 'jobStarted', runId, job: job.type, slot, label });
    this.worker!.postMessage({ ...job, v: GEOMETRY_PROTOCOL_VERSION, runId }, transfer);
    return runId;
  }

  /** Asks the running job to stop; restarts the worker if it has not stopped after CANCEL_GRACE_MS. */
  cancel(): void {
    const job = this.gs.get().job;
    if (!job || !this.worker) return;
    this.worker.postMessage({ v: GEOMETRY_PROTOCOL_VERSION, type: 'cancel', runId: job.runId });
    setTimeout(() => {
      if (this.gs.get().job?.runId !== job.runId) return;
      this.stop();
      this.gs.dispatch({ type: 'jobAbandoned', runId: job.runId });
      this.start(this.backend);
    }, CANCEL_GRACE_MS);
  }

  /**
   * A model's file by selection id: 'A' and 'B' are the engine's endpoints (the app store's bytes,
   * read only), anything else a model of this section. A copy, so transferring it keeps ours.
   */
  file(id: string): ModelFile {
    const f = id === 'A' || id === 'B' ? store.modelBytes.get(id) : this.gs.files.get(id);
    if (!f) throw new Error(id === 'A' || id === 'B' ? `model ${id} is not loaded yet` : `no model ${id}`);
    return { name: id === 'A' || id === 'B' ? `model ${id} (${f.name})` : f.name, bytes: f.bytes.slice(0) };
  }

  /** Adds a model file (loaded by the teacher, or sent back by a job) to the section's models. */
  addFile(
    id: string,
    name: string,
    bytes: ArrayBuffer,
    kind: 'real' | 'binary',
    origin: 'file' | 'population' | 'chain' | 'binary',
    testAccuracy: number | null = null,
  ): void {
    this.gs.files.set(id, { name, bytes });
    this.gs.dispatch({ type: 'modelAdded', model: { id, name, kind, origin, testAccuracy } });
  }

  /** A crashed worker fails its job (the error is shown) and is replaced by a fresh one. */
  private onCrash(message: string): void {
    this.stop();
    this.gs.dispatch({ type: 'workerFailed', message });
    this.start(this.backend);
  }

  private onEvent(raw: unknown): void {
    let e: FromGeometry;
    try {
      e = parseFromGeometry(raw);
    } catch (err) {
      this.gs.dispatch({ type: 'error', message: `geometry worker: ${(err as Error).message}` });
      return;
    }
    const current = this.gs.get().job?.runId;
    if ('runId' in e && e.runId === current) this.keepFiles(e);
    this.gs.dispatch({ type: 'event', event: e });
  }

  /** Files a job sends back become models of the section. */
  private keepFiles(e: FromGeometry): void {
    if (e.type === 'memberTrained') this.addFile(`pop:${e.name}`, e.name, e.bytes, 'real', 'population');
    if (e.type === 'binaryDone') this.addFile(`bin:${e.name}`, e.name, e.bytes, 'binary', 'binary', e.testAccuracy);
    if (e.type === 'chainEval' && e.bend) {
      const name = `chain bend (step ${e.step}, ${e.runId.slice(-4)})`;
      this.addFile(`bend:${e.runId}`, name, e.bend, 'real', 'chain');
    }
  }
}

export const geometryBridge = new GeometryBridge(geometryStore);
geometryBridge.snapshots.attach(store);
