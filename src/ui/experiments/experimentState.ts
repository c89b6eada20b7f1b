import type { ExperimentPlan } from '../../core/experiments/experiment';
import type { PairRecord } from '../../core/experiments/pairRun';
import type { ExperimentSummary } from '../../core/experiments/summary';
import type { JointPca } from '../../core/experiments/jointPca';
import type { DimensionalityFile } from '../../worker/experimentResults';
import { reopenedMessage } from './experimentResume';

/**
 * The Experiments section's state (issue #15, SPEC §10) and its pure reducer: worker events and
 * user actions in, a new state out. Side effects (workers, IndexedDB) live in the controller.
 */
export type ExperimentStatus = 'new' | 'running' | 'paused' | 'stopping' | 'stopped' | 'done' | 'failed';

/** An experiment as saved in IndexedDB (the `experiments` store), listed to reopen. */
export interface ExperimentRecord {
  kind: 'lowloss-experiment-record';
  version: 1;
  id: string;
  /** What the list shows, e.g. "M2M × 4, quick, 1 epoch". */
  name: string;
  createdAt: number;
  plan: ExperimentPlan;
  /** The preset the path config came from. */
  preset: string;
  /** Workers the experiment runs on (one pair at a time each). */
  workers: number;
  status: ExperimentStatus;
  /** Pairs whose pair.json says done. */
  pairsDone: number;
  /** Wall time spent running (ms), over every start and continuation. */
  elapsedMs: number;
  /** The backend the workers chose, once known. */
  backend: string | null;
}

export type PairPhase = 'queued' | 'endpoints' | 'path' | 'done' | 'stopped' | 'failed';

/** One pair's progress as the section shows it. */
export interface PairProgress {
  index: number;
  phase: PairPhase;
  /** Last tick reported. */
  tick: number;
  /** T, the pair's ticks. */
  total: number;
  /** The worker's last line about this pair. */
  message: string;
  /** When its path's first tick arrived (ms, the clock the controller passes), for its ETA. */
  pathStartedAt: number | null;
  /** Wall time of its path (ms) once it finished. */
  pathMs: number | null;
  error: string | null;
}

export interface DimensionalityState {
  status: 'idle' | 'running' | 'done' | 'failed';
  runId: string | null;
  /** Excursions done (0 while the start trains) of `total`. */
  k: number;
  total: number;
  message: string;
  file: DimensionalityFile | null;
  error: string | null;
}

export interface ExperimentsState {
  saved: ExperimentRecord[];
  current: ExperimentRecord | null;
  /** The current start or continuation: worker events of other runs are dropped. */
  runId: string | null;
  /** When the current run started (ms), for the overall ETA; null when not running. */
  runStartedAt: number | null;
  pairs: Record<number, PairProgress>;
  summary: ExperimentSummary | null;
  pca: JointPca | null;
  pcaTensor: string;
  analysing: boolean;
  dim: DimensionalityState;
  /** Bytes one worker holds: MNIST on the host, and the most in tensors seen on a tick. */
  memory: { hostBytes: number | null; tensorBytes: number };
  errors: string[];
}

const IDLE_DIM: DimensionalityState = {
  status: 'idle',
  runId: null,
  k: 0,
  total: 0,
  message: '',
  file: null,
  error: null,
};

export const INITIAL_EXPERIMENTS: ExperimentsState = {
  saved: [],
  current: null,
  runId: null,
  runStartedAt: null,
  pairs: {},
  summary: null,
  pca: null,
  pcaTensor: 'fc1.weight',
  analysing: false,
  dim: IDLE_DIM,
  memory: { hostBytes: null, tensorBytes: 0 },
  errors: [],
};

export type ExperimentAction =
  | { type: 'savedListed'; records: ExperimentRecord[] }
  | {
      type: 'opened';
      record: ExperimentRecord;
      pairRecords: PairRecord[];
      summary: ExperimentSummary | null;
      pca: JointPca | null;
      dim: DimensionalityFile | null;
    }
  | { type: 'started'; record: ExperimentRecord; runId: string; now: number }
  | { type: 'workerReady'; backend: string; hostBytes: number | null }
  | { type: 'pairMessage'; runId: string; pair: number; message: string }
  | { type: 'pairTick'; runId: string; pair: number; tick: number; total: number; now: number; tensorBytes: number }
  | { type: 'pairDone'; runId: string; record: PairRecord }
  | { type: 'paused'; runId: string }
  | { type: 'resumed'; runId: string }
  | { type: 'stopRequested'; runId: string }
  | { type: 'finished'; runId: string; now: number }
  | { type: 'analysing' }
  | { type: 'analysed'; summary: ExperimentSummary | null; pca: JointPca | null }
  | { type: 'pcaTensor'; tensor: string }
  | { type: 'dimStarted'; runId: string; total: number }
  | { type: 'dimProgress'; runId: string; k: number; total: number; message: string }
  | { type: 'dimDone'; runId: string; file: DimensionalityFile }
  | { type: 'dimFailed'; runId: string; message: string }
  | { type: 'error'; message: string }
  | { type: 'dismissError'; index: number };

/** Pair states from the pairs' saved records (a reopened experiment): done ones stay done. */
function pairsFrom(record: ExperimentRecord, saved: PairRecord[]): Record<number, PairProgress> {
  const out: Record<number, PairProgress> = {};
  const total = record.plan.config.phases?.reduce((n, p) => n + p.ticks, 0) ?? record.plan.config.ticks;
  for (let k = 1; k <= record.plan.pairs; k++) {
    const r = saved.find((p) => p.index === k);
    const done = r?.status === 'done';
    out[k] = {
      index: k,
      phase: done ? 'done' : r ? (r.status === 'failed' ? 'failed' : 'stopped') : 'queued',
      tick: r?.ticksDone ?? 0,
      total,
      message: reopenedMessage(r),
      pathStartedAt: null,
      pathMs: r?.pathMs ?? null,
      error: r?.error ?? null,
    };
  }
  return out;
}

const pairsDone = (pairs: Record<number, PairProgress>) =>
  Object.values(pairs).filter((p) => p.phase === 'done').length;

/** Replaces (or adds) a record in the saved list, newest first. */
function upsert(saved: ExperimentRecord[], r: ExperimentRecord): ExperimentRecord[] {
  return [r, ...saved.filter((s) => s.id !== r.id)].sort((a, b) => b.createdAt - a.createdAt);
}

/** The state after `a`. Pure: no clocks (times come in the actions), no I/O. */
export function reduceExperiments(s: ExperimentsState, a: ExperimentAction): ExperimentsState {
  const mine = 'runId' in a && a.type !== 'started' && !a.type.startsWith('dim') ? a.runId === s.runId : true;
  if (!mine) return s; // a stale event of an earlier run
  const pair = (k: number) => s.pairs[k];
  const withPair = (k: number, patch: Partial<PairProgress>) =>
    pair(k) ? { ...s, pairs: { ...s.pairs, [k]: { ...pair(k), ...patch } } } : s;
  const withStatus = (status: ExperimentStatus): ExperimentsState =>
    s.current ? { ...s, current: { ...s.current, status } } : s;
  switch (a.type) {
    case 'savedListed': {
      const saved = [...a.records].sort((x, y) => y.createdAt - x.createdAt);
      const gone = s.current && s.runId === null && !saved.some((r) => r.id === s.current!.id);
      return gone ? { ...INITIAL_EXPERIMENTS, saved, errors: s.errors } : { ...s, saved };
    }
    case 'opened':
      return {
        ...s,
        // Nothing runs after a reload: a record saved while running is a stopped experiment now.
        current: ['running', 'paused', 'stopping'].includes(a.record.status)
          ? { ...a.record, status: 'stopped' }
          : a.record,
        runId: null,
        runStartedAt: null,
        pairs: pairsFrom(a.record, a.pairRecords),
        summary: a.summary,
        pca: a.pca,
        analysing: false,
        dim: a.dim ? { ...IDLE_DIM, status: 'done', file: a.dim } : IDLE_DIM,
      };
    case 'started': {
      const keep = s.current?.id === a.record.id ? s.pairs : {};
      const pairs = pairsFrom(a.record, []);
      for (const [k, p] of Object.entries(keep)) if (p.phase === 'done') pairs[Number(k)] = p;
      const fresh = s.current?.id !== a.record.id;
      const record = { ...a.record, status: 'running' as const, pairsDone: pairsDone(pairs) };
      return {
        ...s,
        current: record,
        saved: upsert(s.saved, record),
        runId: a.runId,
        runStartedAt: a.now,
        pairs,
        ...(fresh ? { summary: null, pca: null, dim: IDLE_DIM } : {}),
      };
    }
    case 'workerReady':
      if (!s.current) return s;
      return {
        ...s,
        current: { ...s.current, backend: a.backend },
        memory: { ...s.memory, hostBytes: a.hostBytes ?? s.memory.hostBytes },
      };
    case 'pairMessage': {
      const training = /training endpoint/.test(a.message);
      const phase = training ? 'endpoints' : pair(a.pair)?.phase === 'queued' ? 'endpoints' : pair(a.pair)?.phase;
      return withPair(a.pair, { message: a.message, phase });
    }
    case 'pairTick': {
      const p = pair(a.pair);
      if (!p) return s;
      const next = withPair(a.pair, {
        phase: 'path',
        tick: a.tick,
        total: a.total,
        pathStartedAt: p.phase === 'path' && p.pathStartedAt !== null ? p.pathStartedAt : a.now,
      });
      return { ...next, memory: { ...s.memory, tensorBytes: Math.max(s.memory.tensorBytes, a.tensorBytes) } };
    }
    case 'pairDone': {
      const r = a.record;
      const phase: PairPhase = r.status === 'done' ? 'done' : r.status === 'failed' ? 'failed' : 'stopped';
      const next = withPair(r.index, { phase, tick: r.ticksDone, pathMs: r.pathMs, error: r.error ?? null });
      if (!next.current) return next;
      const current = { ...next.current, pairsDone: pairsDone(next.pairs) };
      return { ...next, current, saved: upsert(next.saved, current) };
    }
    case 'paused':
      return s.current?.status === 'running' ? withStatus('paused') : s;
    case 'resumed':
      return s.current?.status === 'paused' ? withStatus('running') : s;
    case 'stopRequested':
      return s.current && ['running', 'paused'].includes(s.current.status) ? withStatus('stopping') : s;
    case 'finished': {
      if (!s.current) return s;
      const values = Object.values(s.pairs);
      const status: ExperimentStatus = values.every((p) => p.phase === 'done')
        ? 'done'
        : values.some((p) => p.phase === 'failed')
          ? 'failed'
          : 'stopped';
      const elapsedMs = s.current.elapsedMs + (s.runStartedAt === null ? 0 : a.now - s.runStartedAt);
      const current = { ...s.current, status, elapsedMs, pairsDone: pairsDone(s.pairs) };
      const pairs = { ...s.pairs };
      for (const p of values)
        if (p.phase !== 'done' && p.phase !== 'failed') pairs[p.index] = { ...p, phase: 'stopped' };
      return { ...s, current, saved: upsert(s.saved, current), runId: null, runStartedAt: null, pairs };
    }
    case 'analysing':
      return { ...s, analysing: true };
    case 'analysed':
      return { ...s, analysing: false, summary: a.summary ?? s.summary, pca: a.pca ?? s.pca };
    case 'pcaTensor':
      return { ...s, pcaTensor: a.tensor };
    case 'dimStarted':
      return { ...s, dim: { ...IDLE_DIM, status: 'running', runId: a.runId, total: a.total, message: 'starting' } };
    case 'dimProgress':
      if (a.runId !== s.dim.runId) return s;
      return { ...s, dim: { ...s.dim, k: a.k, total: a.total, message: a.message } };
    case 'dimDone':
      if (a.runId !== s.dim.runId) return s;
      return { ...s, dim: { ...s.dim, status: 'done', k: s.dim.total, file: a.file, message: 'done' } };
    case 'dimFailed':
      if (a.runId !== s.dim.runId) return s;
      return { ...s, dim: { ...s.dim, status: 'failed', error: a.message }, errors: [...s.errors, a.message] };
    case 'error':
      return { ...s, errors: [...s.errors, a.message] };
    case 'dismissError':
      return { ...s, errors: s.errors.filter((_, i) => i !== a.index) };
    default: {
      const never: never = a;
      throw new Error(`unhandled experiment action ${JSON.stringify(never)}`);
    }
  }
}
