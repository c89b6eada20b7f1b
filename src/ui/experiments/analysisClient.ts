import { endpointFile } from '../../core/experiments/experiment';
import { REFERENCE_DIMENSIONALITY, type DimensionalityConfig } from '../../core/experiments/dimensionality';
import type { ExperimentSummary } from '../../core/experiments/summary';
import type { JointPca } from '../../core/experiments/jointPca';
import { parseFromExperimentWorker, type DimensionalityDestinations } from '../../worker/experimentProtocol';
import { DIMENSIONALITY_FILE, PCA_FILE, SUMMARY_FILE, asDimensionalityFile } from '../../worker/experimentResults';
import type { ExperimentStorage } from './experimentStorage';
import type { ExperimentsStore } from './experimentsStore';
import { send, type WorkerLike } from './pairWorkers';

/** Where model A of the §5.3 measurement comes from. */
export type DimensionalityStart =
  /** Endpoint A of the Endpoints panel (its safetensors bytes). */
  | { kind: 'endpointA'; name: string; bytes: ArrayBuffer }
  /** Model A of the experiment's first pair (models/ in its folder). */
  | { kind: 'pair1' };

export interface DimensionalityRequest {
  /** K excursions (paper §5.3). */
  paths: number;
  start: DimensionalityStart;
  destinations: DimensionalityDestinations;
  /** The reference's settings unless given (SPEC §10). */
  config?: DimensionalityConfig;
}

/**
 * The analysis worker (one experiment worker that runs no pairs): summary.json and pca.json after
 * pairs finish (one analysis at a time; a request while one runs is run once after it), and the §5.3
 * measurement. Results are read back from the experiment's files. Cancel = terminate (STYLE.md).
 */
export class AnalysisClient {
  private worker: WorkerLike | null = null;
  private busy = false;
  private queued: { id: string; pca: boolean } | null = null;
  private analyseRun: { runId: string; id: string } | null = null;
  private dimRun: { runId: string; id: string } | null = null;

  constructor(
    private readonly store: ExperimentsStore,
    private readonly storage: ExperimentStorage,
    private readonly spawn: () => WorkerLike,
    private readonly setup: () => { backend: string | null; dataUrl: string },
  ) {}

  private fail(message: string): void {
    this.store.dispatch({ type: 'error', message });
  }

  private ensure(): WorkerLike {
    if (this.worker) return this.worker;
    const w = this.spawn();
    const { backend, dataUrl } = this.setup();
    send(w, { type: 'init', backend: backend as never, dataUrl });
    w.onmessage = (e) => void this.onEvent(e.data);
    w.onerror = (e) => {
      e.preventDefault?.();
      this.reset(`the analysis worker crashed: ${e.message || 'unknown error (out of memory?)'}`);
    };
    return (this.worker = w);
  }

  /** Drops the worker and fails what it was doing. */
  private reset(message: string): void {
    this.worker?.terminate();
    this.worker = null;
    this.busy = false;
    this.analyseRun = null;
    if (this.dimRun) this.store.dispatch({ type: 'dimFailed', runId: this.dimRun.runId, message });
    else this.fail(message);
    this.dimRun = null;
  }

  /** Summary (and joint PCA) of the complete pairs of experiment `id`; coalesces requests. */
  analyse(id: string, pca: boolean): void {
    if (this.busy) {
      this.queued = { id, pca: pca || (this.queued?.pca ?? false) };
      return;
    }
    this.busy = true;
    const runId = `analyse-${Date.now().toString(36)}`;
    this.analyseRun = { runId, id };
    this.store.dispatch({ type: 'analysing' });
    send(this.ensure(), { type: 'analyse', runId, experimentId: id, pca });
  }

  /** Starts the §5.3 measurement on experiment `id`'s folder. */
  async dimensionality(id: string, req: DimensionalityRequest): Promise<void> {
    if (this.dimRun) return this.fail('a dimensionality measurement is already running');
    const runId = `dim-${Date.now().toString(36)}`;
    let start: { name: string; bytes: ArrayBuffer };
    try {
      start = await this.startModel(id, req.start);
    } catch (e) {
      return this.fail((e as Error).message);
    }
    this.dimRun = { runId, id };
    this.store.dispatch({ type: 'dimStarted', runId, total: req.paths });
    const config = req.config ?? REFERENCE_DIMENSIONALITY;
    const msg = { type: 'dimensionality', runId, experimentId: id, start, paths: req.paths, config } as const;
    send(this.ensure(), { ...msg, destinations: req.destinations }, [start.bytes]);
  }

  /** Stops the measurement (terminates the worker; a queued analysis runs on a new one). */
  cancelDimensionality(): void {
    if (!this.dimRun) return;
    const again = this.busy && this.analyseRun ? { id: this.analyseRun.id, pca: true } : this.queued;
    this.reset('dimensionality measurement cancelled');
    if (again) this.analyse(again.id, again.pca);
  }

  private async startModel(id: string, s: DimensionalityStart): Promise<{ name: string; bytes: ArrayBuffer }> {
    if (s.kind === 'endpointA') return { name: s.name, bytes: s.bytes.slice(0) };
    const record = this.store.get().current;
    if (!record || record.id !== id) throw new Error('open the experiment first');
    const seed = record.plan.seedBase + 1; // pair 1's model A in M2M and M2O alike (core experiment.ts)
    const file = endpointFile(seed, record.plan.epochs);
    const bytes = await (await this.storage.files(id)).read(file);
    if (!bytes) throw new Error(`pair 1's model A (${file}) is not trained yet: run the experiment first`);
    return { name: `${file} (pair 1's model A)`, bytes: bytes.slice().buffer };
  }

  private async onEvent(raw: unknown): Promise<void> {
    let e;
    try {
      e = parseFromExperimentWorker(raw);
    } catch (err) {
      return this.fail(`analysis worker: ${(err as Error).message}`);
    }
    switch (e.type) {
      case 'analysed':
        if (e.runId !== this.analyseRun?.runId) return;
        return this.finishAnalysis(this.analyseRun.id);
      case 'dimProgress':
        return this.store.dispatch({ type: 'dimProgress', runId: e.runId, k: e.k, total: e.total, message: e.message });
      case 'dimDone': {
        if (e.runId !== this.dimRun?.runId) return;
        const { id, runId } = this.dimRun;
        this.dimRun = null;
        try {
          const json = await this.storage.readJson<unknown>(id, DIMENSIONALITY_FILE);
          this.store.dispatch({ type: 'dimDone', runId, file: asDimensionalityFile(json) });
        } catch (err) {
          this.store.dispatch({ type: 'dimFailed', runId, message: (err as Error).message });
        }
        return;
      }
      case 'error':
        if (e.runId && e.runId === this.dimRun?.runId) {
          this.store.dispatch({ type: 'dimFailed', runId: e.runId, message: e.message });
          this.dimRun = null;
        } else if (e.runId && e.runId === this.analyseRun?.runId) {
          this.fail(`analysis failed: ${e.message}`);
          this.next();
        } else this.fail(`analysis worker: ${e.message}`);
        return;
      default:
        return; // ready, dataLoaded
    }
  }

  private async finishAnalysis(id: string): Promise<void> {
    try {
      const summary = await this.storage.readJson<ExperimentSummary>(id, SUMMARY_FILE);
      const pca = await this.storage.readJson<JointPca>(id, PCA_FILE);
      const current = this.store.get().current?.id === id;
      this.store.dispatch({ type: 'analysed', summary: current ? summary : null, pca: current ? pca : null });
    } catch (e) {
      this.fail(`could not read the analysis: ${(e as Error).message}`);
    }
    this.next();
  }

  private next(): void {
    this.busy = false;
    this.analyseRun = null;
    const q = this.queued;
    this.queued = null;
    if (q) this.analyse(q.id, q.pca);
  }
}
