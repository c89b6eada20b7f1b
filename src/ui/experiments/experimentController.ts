import { isBackendName } from '../../core/backends/select';
import type { ExperimentPlan } from '../../core/experiments/experiment';
import { experimentName, planOf, type ExperimentForm } from './plan';
import { runPairPool } from '../../core/experiments/pool';
import type { FromExperimentWorker } from '../../worker/experimentProtocol';
import { DIMENSIONALITY_FILE, PCA_FILE, SUMMARY_FILE, asDimensionalityFile } from '../../worker/experimentResults';
import type { ExperimentSummary } from '../../core/experiments/summary';
import type { JointPca } from '../../core/experiments/jointPca';
import { AnalysisClient } from './analysisClient';
import { experimentStorage, type ExperimentStorage } from './experimentStorage';
import { experiments, type ExperimentsStore } from './experimentsStore';
import type { ExperimentRecord } from './experimentState';
import { listenPageLeave, pairsToRun, settledWhileLeaving } from './experimentResume';
import { pairWorker, send, type WorkerLike } from './pairWorkers';

const newId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * Runs experiments in the browser (issue #15): pairs on a pool of experiment workers (the core's
 * pair pool, one worker per core), records and files in IndexedDB, analyses in one more worker.
 * Owns the workers; components only read the store and call these methods.
 */
export class ExperimentController {
  private pool: { stop(): void } | null = null;
  private live: WorkerLike[] = [];
  /** The page is going away (pagehide): pair failures now are the unload's, not the pairs'. */
  private leaving = false;
  readonly analysis: AnalysisClient;

  constructor(
    private readonly store: ExperimentsStore = experiments,
    private readonly storage: ExperimentStorage = experimentStorage,
    private readonly spawn: () => WorkerLike = () =>
      new Worker(new URL('../../worker/experiment.worker.ts', import.meta.url), { type: 'module', name: 'experiment' }),
    private readonly clock: () => number = () => Date.now(),
    onPageLeave: (listener: (leaving: boolean) => void) => void = listenPageLeave,
  ) {
    onPageLeave((leaving) => (this.leaving = leaving));
    this.analysis = new AnalysisClient(store, storage, spawn, () => this.setup());
    // Every change of the current record is saved, so a reload finds it as it was.
    store.onAction((_a, prev, next) => {
      if (next.current && next.current !== prev.current) void this.save(next.current);
    });
  }

  /** The backend the page asked for (`?backend=`) and the MNIST folder. */
  private setup(): { backend: string | null; dataUrl: string } {
    const b = new URLSearchParams(location.search).get('backend');
    const dataUrl = new URL(`${import.meta.env.BASE_URL}data/mnist/`, location.href).href;
    return { backend: b && isBackendName(b) ? b : null, dataUrl };
  }

  private save(r: ExperimentRecord): Promise<void> {
    return this.storage.put(r).catch((e: Error) => this.fail(`could not save the experiment: ${e.message}`));
  }

  private fail(message: string): void {
    this.store.dispatch({ type: 'error', message });
  }

  get running(): boolean {
    return this.pool !== null;
  }

  /** Lists the saved experiments and reopens the newest. */
  async init(): Promise<void> {
    try {
      const records = await this.storage.list();
      this.store.dispatch({ type: 'savedListed', records });
      if (records[0] && !this.store.get().current) await this.open(records[0].id);
    } catch (e) {
      this.fail(`saved experiments could not be read: ${(e as Error).message}`);
    }
  }

  /** Creates a new experiment from the form and starts it. */
  async start(form: ExperimentForm): Promise<void> {
    if (this.running) return this.fail('an experiment is already running: stop it first');
    let plan: ExperimentPlan;
    try {
      plan = planOf(form);
    } catch (e) {
      return this.fail((e as Error).message);
    }
    const record: ExperimentRecord = {
      kind: 'lowloss-experiment-record',
      version: 1,
      id: newId('exp'),
      name: experimentName(form, plan.config.ticks),
      createdAt: this.clock(),
      plan,
      preset: form.preset,
      workers: Math.max(1, Math.round(form.workers)),
      status: 'new',
      pairsDone: 0,
      elapsedMs: 0,
      backend: null,
    };
    const experimentJson = JSON.stringify({ kind: 'lowloss-experiment', version: 1, plan }, null, 2) + '\n';
    try {
      await this.storage.put(record);
      await (await this.storage.files(record.id)).write('experiment.json', experimentJson);
    } catch (e) {
      return this.fail(`could not save the experiment: ${(e as Error).message}`);
    }
    this.run(record);
  }

  /** Continues the current experiment: every pair not done (experimentResume.ts, `pairsToRun`). */
  continue(): void {
    const r = this.store.get().current;
    if (r && !this.running) this.run(r);
  }

  private run(record: ExperimentRecord): void {
    const runId = newId('run');
    this.store.dispatch({ type: 'started', record, runId, now: this.clock() });
    const pairs = this.store.get().pairs;
    const todo = pairsToRun(record.plan, pairs);
    const { backend, dataUrl } = this.setup();
    const onEvent = (e: FromExperimentWorker) => this.onWorkerEvent(runId, e);
    const onInvalid = (m: string) => this.fail(`experiment worker: ${m}`);
    this.live = [];
    const spawnOne = () => {
      const w = this.spawn();
      this.live.push(w);
      return pairWorker(w, { runId, experimentId: record.id, backend, dataUrl }, { onEvent, onInvalid });
    };
    const pool = runPairPool(todo, record.plan.epochs, spawnOne, Math.min(record.workers, todo.length), {
      onDone: (done) => {
        const r = this.leaving ? settledWhileLeaving(done) : done;
        this.store.dispatch({ type: 'pairDone', runId, record: r });
        if (r.status === 'done') this.analysis.analyse(record.id, true);
      },
    });
    this.pool = pool;
    void pool.done.then(() => {
      this.pool = null;
      this.live = [];
      this.store.dispatch({ type: 'finished', runId, now: this.clock() });
      this.analysis.analyse(record.id, true);
    });
  }

  private onWorkerEvent(runId: string, e: FromExperimentWorker): void {
    const now = this.clock();
    switch (e.type) {
      case 'ready':
        return this.store.dispatch({ type: 'workerReady', backend: e.backend, hostBytes: null });
      case 'dataLoaded':
        return this.store.dispatch({
          type: 'workerReady',
          backend: this.store.get().current?.backend ?? '',
          hostBytes: e.hostBytes,
        });
      case 'pairMessage':
        return this.store.dispatch({ type: 'pairMessage', runId, pair: e.pair, message: e.message });
      case 'pairTick':
        return this.store.dispatch({
          type: 'pairTick',
          runId,
          pair: e.pair,
          tick: e.tick,
          total: e.total,
          now,
          tensorBytes: e.tensorBytes,
        });
      case 'error':
        return this.fail(`experiment worker: ${e.message}`);
      default:
        return; // pairDone and pairFailed reach the store through the pool's onDone
    }
  }

  pause(): void {
    const runId = this.store.get().runId;
    if (!runId || !this.running) return;
    for (const w of this.live) send(w, { type: 'pause' });
    this.store.dispatch({ type: 'paused', runId });
  }

  resume(): void {
    const runId = this.store.get().runId;
    if (!runId || !this.running) return;
    for (const w of this.live) send(w, { type: 'resume' });
    this.store.dispatch({ type: 'resumed', runId });
  }

  /** Stops after every worker's current tick; the pairs not done stay to continue later. */
  stop(): void {
    const runId = this.store.get().runId;
    if (!runId || !this.pool) return;
    for (const w of this.live) send(w, { type: 'resume' }); // a paused session must wake up to stop
    this.pool.stop();
    this.store.dispatch({ type: 'stopRequested', runId });
  }

  /** Reopens a saved experiment: its pairs' states and its saved results. */
  async open(id: string): Promise<void> {
    if (this.running) return this.fail('stop the running experiment before opening another');
    try {
      const record = (await this.storage.list()).find((r) => r.id === id);
      if (!record) return this.fail(`no saved experiment ${id}`);
      const pairRecords = await this.storage.pairRecords(id, record.plan.pairs);
      const summary = await this.storage.readJson<ExperimentSummary>(id, SUMMARY_FILE);
      const pca = await this.storage.readJson<JointPca>(id, PCA_FILE);
      const dimJson = await this.storage.readJson<unknown>(id, DIMENSIONALITY_FILE);
      const dim = dimJson ? asDimensionalityFile(dimJson) : null;
      this.store.dispatch({ type: 'opened', record, pairRecords, summary, pca, dim });
    } catch (e) {
      this.fail(`could not open the experiment: ${(e as Error).message}`);
    }
  }

  async remove(id: string): Promise<void> {
    if (this.running && this.store.get().current?.id === id) return this.fail('stop the experiment before deleting it');
    try {
      await this.storage.delete(id);
      this.store.dispatch({ type: 'savedListed', records: await this.storage.list() });
    } catch (e) {
      this.fail(`could not delete the experiment: ${(e as Error).message}`);
    }
  }
}

export const experimentController = new ExperimentController();
