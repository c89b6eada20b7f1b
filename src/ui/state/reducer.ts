import type { BaselineKind, FromWorker, Slot } from '../../worker/protocol';
import type { StoredModels } from '../storage/runStorage';
import {
  NO_BASELINES,
  type BaselineView,
  type DemoPhase,
  type PlaneView,
  type RunView,
  type UiError,
  type UiState,
} from './uiState';
import { reduceBaseline } from './baselineReducer';
import { reducePlane } from './planeReducer';
import { reducePrediction } from './predictReducer';

/**
 * Everything that changes the UI state: worker events (validated by the bridge) and the user's
 * and the bridge's own actions. Side effects (series, storage, downloads) subscribe to the store
 * and see each action with the state before and after it.
 */
export type UiAction =
  | { type: 'worker'; event: FromWorker }
  /** A new engine worker is starting (first start or a backend switch). */
  | { type: 'engineStarting' }
  | { type: 'workerLost'; message: string }
  /** MNIST was asked of the worker again after it failed to load. */
  | { type: 'dataRequested' }
  | { type: 'trainRequested'; slot: Slot }
  /** A run was sent to the worker; `record` is set for a new run, which gets a new stored record. */
  | { type: 'runRequested'; run: RunView; record?: { createdAt: number; models: StoredModels } }
  /** A stored run or a points file is shown (not running). */
  | { type: 'runOpened'; run: RunView }
  | { type: 'error'; error: Omit<UiError, 'id'> }
  | { type: 'dismissError'; id: number }
  /** A baseline was sent to the worker (its view starts empty). */
  | { type: 'baselineRequested'; view: BaselineView & { kind: BaselineKind } }
  /** The landscape plane was sent to the worker. */
  | { type: 'planeRequested'; view: PlaneView }
  /** The path scrubber moved to a snapshot tick (null: none). */
  | { type: 'scrubTo'; tick: number | null }
  /** A drawn digit was sent for prediction (the answer to an older request is dropped). */
  | { type: 'predictRequested'; requestId: string }
  /** The demo moved on; `runId` names the LLPF run it started (a new demo forgets the old one). */
  | { type: 'demoPhase'; phase: DemoPhase; runId?: string }
  | { type: 'clearErrors' };

const addError = (s: UiState, e: Omit<UiError, 'id'>): Partial<UiState> => ({
  errors: [...s.errors, { ...e, id: s.nextErrorId }],
  nextErrorId: s.nextErrorId + 1,
});

/** The baselines and the plane still running fail: their worker is gone. */
function failJobs(s: UiState): UiState {
  const fail = <T extends { state: string }>(v: T | null): T | null =>
    v && v.state === 'running' ? { ...v, state: 'failed' } : v;
  const entries = Object.entries(s.baselines).map(([k, v]) => [k, fail(v)]);
  return { ...s, baselines: Object.fromEntries(entries) as UiState['baselines'], plane: fail(s.plane) };
}

/** True when a run-scoped event belongs to the run shown (events of an old run are dropped). */
export function isCurrentRun(s: UiState, runId: string | undefined): boolean {
  return runId !== undefined && runId === s.run?.runId;
}

/** The pure state transition: (state, action) → state. Returns the same object when nothing changes. */
export function reduce(s: UiState, a: UiAction): UiState {
  switch (a.type) {
    case 'worker':
      return reduceEvent(s, a.event);
    case 'engineStarting':
      return { ...failJobs(s), workerLost: null, backend: null, data: { state: 'loading' } };
    case 'dataRequested':
      return { ...s, data: { state: 'loading' } };
    case 'workerLost':
      return {
        ...failJobs(s),
        workerLost: a.message,
        run: s.run && s.run.state === 'running' ? { ...s.run, state: 'failed' } : s.run,
        ...addError(s, { scope: 'worker', message: a.message, recoverable: true }),
      };
    case 'trainRequested': {
      const fresh = {
        step: 0,
        totalSteps: 1,
        epoch: 0,
        trainLoss: NaN,
        testAccuracy: null,
        stepsPerSecond: 0,
        curve: [],
      };
      return { ...s, training: { ...s.training, [a.slot]: fresh } };
    }
    case 'runRequested':
      return {
        ...s,
        run: a.run,
        checkpoint: a.record ? null : s.checkpoint,
        scrubTick: a.record ? null : s.scrubTick,
      };
    case 'runOpened':
      return { ...s, run: a.run, errors: [], checkpoint: null };
    case 'error':
      return { ...s, ...addError(s, a.error) };
    case 'baselineRequested': {
      const { kind, ...view } = a.view;
      return { ...s, baselines: { ...s.baselines, [kind]: view } };
    }
    case 'planeRequested':
      return { ...s, plane: a.view };
    case 'scrubTo':
      return s.scrubTick === a.tick ? s : { ...s, scrubTick: a.tick };
    case 'predictRequested':
      return { ...s, prediction: { requestId: a.requestId, state: 'running', results: s.prediction?.results ?? [] } };
    case 'demoPhase':
      return { ...s, demo: a.phase, demoRunId: a.runId ?? (a.phase === 'models' ? null : s.demoRunId) };
    case 'dismissError':
      return { ...s, errors: s.errors.filter((e) => e.id !== a.id) };
    case 'clearErrors':
      return s.errors.length ? { ...s, errors: [] } : s;
    default: {
      const never: never = a;
      throw new Error(`unhandled action ${JSON.stringify(never)}`);
    }
  }
}

function reduceEvent(s: UiState, e: FromWorker): UiState {
  const run = s.run;
  switch (e.type) {
    case 'ready':
      return {
        ...s,
        backend: { name: e.backend, reason: e.reason, threads: e.threads, crossOriginIsolated: e.crossOriginIsolated },
      };
    case 'dataLoaded':
      return { ...s, data: { state: 'ready', ms: e.ms } };
    case 'trainProgress': {
      const prev = s.training[e.slot];
      const curve = [...(prev?.curve ?? []), [e.step, e.trainLoss] as [number, number]];
      const testAccuracy = e.testAccuracy ?? prev?.testAccuracy ?? null;
      const view = {
        step: e.step,
        totalSteps: e.totalSteps,
        epoch: e.epoch,
        trainLoss: e.trainLoss,
        testAccuracy,
        curve,
      };
      return { ...s, training: { ...s.training, [e.slot]: { ...view, stepsPerSecond: e.stepsPerSecond } } };
    }
    case 'model':
      // The straight lines belong to the endpoints they were computed on.
      return {
        ...s,
        models: { ...s.models, [e.info.slot]: e.info },
        ...{ baselines: NO_BASELINES, plane: null },
      };
    case 'runStarted':
      return run && isCurrentRun(s, e.runId) ? { ...s, run: { ...run, totalTicks: e.totalTicks } } : s;
    case 'points': {
      if (!run || !isCurrentRun(s, e.runId) || e.columns.count === 0) return s;
      const lastTick = e.columns.tick[e.columns.count - 1];
      return { ...s, run: { ...run, lastTick, ticksPerSecond: e.ticksPerSecond, stepsPerSecond: e.stepsPerSecond } };
    }
    case 'checkpoint':
      return isCurrentRun(s, e.runId) ? { ...s, checkpoint: { runId: e.runId, tick: e.tick, params: e.params } } : s;
    case 'runState':
      // A failed run stays failed: the worker's final 'stopped' after an error does not hide it.
      // A stopped baseline or plane job reports its own runId here too.
      return run && isCurrentRun(s, e.runId) && run.state !== 'failed'
        ? { ...s, run: { ...run, state: e.state } }
        : reducePlane(reduceBaseline(s, e), e);
    case 'error': {
      const next: UiState = {
        ...s,
        ...addError(s, { scope: e.scope, message: e.message, recoverable: e.recoverable, tick: e.tick }),
      };
      if (e.scope === 'data') next.data = { state: 'error' };
      // A failed endpoint training: a slot that still holds a model drops the failed progress.
      if (e.scope === 'train') {
        next.training = { A: s.models.A ? null : s.training.A, B: s.models.B ? null : s.training.B };
      }
      if (run && isCurrentRun(s, e.runId)) next.run = { ...run, state: 'failed' };
      return reducePlane(reduceBaseline(next, e), e);
    }
    case 'baselineProgress':
    case 'trainedProgress':
    case 'baselineDone':
      return reduceBaseline(s, e);
    case 'planeStarted':
    case 'planeProgress':
    case 'planeDone':
      return reducePlane(s, e);
    case 'prediction':
      return reducePrediction(s, e);
    case 'modelFile':
    case 'benchmarkResult':
      return s; // side effects only (a download, a benchmark promise)
    default: {
      const never: never = e;
      return {
        ...s,
        ...addError(s, { scope: 'protocol', message: `unhandled event ${JSON.stringify(never)}`, recoverable: false }),
      };
    }
  }
}
