import type { ErrorProfile, FromGeometry, GeometryJobType } from '../../worker/geometryProtocol';
import {
  emptyProfile,
  INITIAL_GEOMETRY,
  type GeometryModel,
  type GeometryState,
  type JobSlot,
  type ProfileView,
} from './state';

export type { JobSlot };

export type GeometryAction =
  | { type: 'workerStarting' }
  | { type: 'workerFailed'; message: string }
  | { type: 'jobStarted'; runId: string; job: GeometryJobType; slot: JobSlot; label: string }
  /** The bridge restarted the worker to stop a job that did not yield (it was cancelled). */
  | { type: 'jobAbandoned'; runId: string }
  | { type: 'event'; event: FromGeometry }
  | { type: 'modelAdded'; model: GeometryModel }
  | { type: 'select'; role: 'first' | 'second'; id: string }
  | { type: 'snapshots'; runId: string | null; ticks: number[] }
  | { type: 'error'; message: string }
  | { type: 'dismissError'; id: number };

/** Each job's slot in its freshly started form. */
function started(slot: JobSlot): Partial<GeometryState> {
  const status = 'running' as const;
  switch (slot) {
    case 'canonical':
      return { canonical: { status, view: null } };
    case 'compare':
      return { compare: { status, result: null } };
    case 'landscape':
      return { landscape: { status, geodesic: emptyProfile(), line: emptyProfile() } };
    case 'flatness':
    case 'pathFlatness':
      return { [slot]: { status, rows: [] } };
    case 'population':
      return { population: { status, training: null, trained: [], members: [], pairs: [] } };
    case 'chain':
      return { chain: { status, losses: [], evals: [], profile: null, reachedTarget: false } };
    case 'binaryTraining':
      return { binaryTraining: { status, training: null } };
    case 'binaryCompare':
      return { binaryCompare: { status, profile: emptyProfile(), result: null } };
    default: {
      const never: never = slot;
      throw new Error(`unknown slot ${String(never)}`);
    }
  }
}

const slotOfJob = (s: GeometryState): JobSlot | null => s.job?.slot ?? null;

/** Marks the running job's slot finished with `status`. */
function finish(s: GeometryState, status: 'done' | 'cancelled' | 'failed'): GeometryState {
  const slot = slotOfJob(s);
  const current = slot ? (s[slot] as { status: string } | null) : null;
  const patch = slot && current ? { [slot]: { ...current, status } } : {};
  return { ...s, ...patch, job: null };
}

const withPoint = (p: ProfileView, t: number, train: number, test: number): ProfileView => ({
  ...p,
  t: [...p.t, t],
  trainError: [...p.trainError, train],
  testError: [...p.testError, test],
});

const complete = (p: ErrorProfile): ProfileView => ({ ...p, t: [...p.t] });

function addError(s: GeometryState, message: string): GeometryState {
  return { ...s, errors: [...s.errors, { id: s.nextErrorId, message }], nextErrorId: s.nextErrorId + 1 };
}

/** Applies one event of the running job (events of other runs were dropped before). */
function onJobEvent(s: GeometryState, e: FromGeometry): GeometryState {
  const job = s.job!;
  switch (e.type) {
    case 'progress':
      return { ...s, job: { ...job, done: e.done, total: e.total, label: e.label } };
    case 'canonicalDone':
      return { ...s, canonical: { status: 'running', view: e.view } };
    case 'compareDone':
      return { ...s, compare: { status: 'running', result: e.result } };
    case 'profilePoint': {
      if (e.path === 'binary' && s.binaryCompare) {
        const profile = withPoint(s.binaryCompare.profile, e.t, e.trainError, e.testError);
        return { ...s, binaryCompare: { ...s.binaryCompare, profile } };
      }
      if ((e.path === 'geodesic' || e.path === 'line') && s.landscape) {
        const path = withPoint(s.landscape[e.path], e.t, e.trainError, e.testError);
        return { ...s, landscape: { ...s.landscape, [e.path]: path } };
      }
      return s;
    }
    case 'landscapeDone':
      return s.landscape
        ? { ...s, landscape: { ...s.landscape, geodesic: complete(e.geodesic), line: complete(e.line) } }
        : s;
    case 'flatnessRow': {
      const slot = slotOfJob(s) === 'pathFlatness' ? 'pathFlatness' : 'flatness';
      const v = s[slot];
      return v ? { ...s, [slot]: { ...v, rows: [...v.rows, e.row] } } : s;
    }
    case 'trainProgress': {
      const training = {
        member: e.member,
        step: e.step,
        totalSteps: e.totalSteps,
        trainLoss: e.trainLoss,
        testAccuracy: e.testAccuracy,
      };
      if (s.population && slotOfJob(s) === 'population') return { ...s, population: { ...s.population, training } };
      if (s.binaryTraining) return { ...s, binaryTraining: { ...s.binaryTraining, training } };
      return s;
    }
    case 'memberTrained':
      return s.population ? { ...s, population: { ...s.population, trained: [...s.population.trained, e.name] } } : s;
    case 'memberRow':
      return s.population ? { ...s, population: { ...s.population, members: [...s.population.members, e.row] } } : s;
    case 'pairRow':
      return s.population ? { ...s, population: { ...s.population, pairs: [...s.population.pairs, e.row] } } : s;
    case 'chainLoss':
      return s.chain ? { ...s, chain: { ...s.chain, losses: [...s.chain.losses, [e.step, e.loss]] } } : s;
    case 'chainEval': {
      if (!s.chain) return s;
      const evals = [...s.chain.evals, { step: e.step, maxTrainError: e.maxTrainError }];
      return { ...s, chain: { ...s.chain, evals, profile: complete(e.profile), reachedTarget: e.reachedTarget } };
    }
    case 'binaryCompareDone':
      return s.binaryCompare
        ? { ...s, binaryCompare: { ...s.binaryCompare, result: e.result, profile: complete(e.result.profile) } }
        : s;
    case 'binaryDone':
      return s;
    case 'jobDone':
      return finish(s, 'done');
    case 'cancelled':
      return finish(s, 'cancelled');
    case 'error':
      return addError(finish(s, 'failed'), e.message);
    case 'ready':
    case 'dataLoaded':
      return s;
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** The Geometry section's pure reducer: action + state → new state. */
export function reduceGeometry(s: GeometryState = INITIAL_GEOMETRY, a: GeometryAction): GeometryState {
  switch (a.type) {
    case 'workerStarting':
      return { ...s, worker: { state: 'starting', backend: null, message: null }, data: 'idle' };
    case 'workerFailed': {
      const failed = s.job ? finish(s, 'failed') : s;
      return addError({ ...failed, worker: { ...s.worker, state: 'failed', message: a.message } }, a.message);
    }
    case 'jobStarted': {
      const job = { runId: a.runId, type: a.job, slot: a.slot, done: 0, total: 1, label: a.label };
      return { ...s, ...started(a.slot), job };
    }
    case 'jobAbandoned':
      return s.job?.runId === a.runId ? finish(s, 'cancelled') : s;
    case 'event': {
      const e = a.event;
      if (e.type === 'ready') return { ...s, worker: { state: 'ready', backend: e.backend, message: e.reason } };
      if (e.type === 'dataLoaded') return { ...s, data: 'ready' };
      if (e.type === 'error' && e.runId === null) return addError(s, e.message);
      // Events of another run (an old or abandoned job) are dropped.
      if (!('runId' in e) || e.runId !== s.job?.runId) return s;
      return onJobEvent(s, e);
    }
    case 'modelAdded':
      return { ...s, models: [...s.models.filter((m) => m.id !== a.model.id), a.model] };
    case 'select':
      return { ...s, selection: { ...s.selection, [a.role]: a.id } };
    case 'snapshots': {
      const { ticks } = a;
      return {
        ...s,
        snapshots: { runId: a.runId, count: ticks.length, firstTick: ticks[0] ?? null, lastTick: ticks.at(-1) ?? null },
      };
    }
    case 'error':
      return addError(s, a.message);
    case 'dismissError':
      return { ...s, errors: s.errors.filter((x) => x.id !== a.id) };
    default: {
      const never: never = a;
      return never;
    }
  }
}
