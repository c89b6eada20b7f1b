/**
 * The typed, versioned protocol between the app and its experiment workers (issue #15, SPEC §10):
 * one tagged union per direction, validated on receipt. Many workers run pairs at once; one more runs
 * the analyses (summary, joint PCA, §5.3 dimensionality). Results travel through the experiment's
 * files in IndexedDB (src/worker/experimentFiles.ts), so events carry only progress and names.
 * No TF.js here: the UI imports it.
 */
import type { BackendName } from '../core/backends/select';
import type { PairSpec } from '../core/experiments/experiment';
import type { PairRecord } from '../core/experiments/pairRun';
import type { DimensionalityConfig } from '../core/experiments/dimensionality';

export const EXPERIMENT_PROTOCOL_VERSION = 1;

/** Where the K destinations of the §5.3 excursions come from. */
export type DimensionalityDestinations =
  /** K models trained from seeds seedBase + 1 … seedBase + K for `epochs` (paper Table 3 settings). */
  | { kind: 'seeds'; seedBase: number; epochs: number }
  /** The experiment's endpoint models (models/ folder), topped up from seeds 1000 + i when fewer than K. */
  | { kind: 'pairs'; epochs: number };

export type ToExperimentWorker =
  | {
      v: 1;
      type: 'init';
      backend: BackendName | null;
      /** Absolute URL of the folder with the MNIST files. */ dataUrl: string;
    }
  | {
      v: 1;
      type: 'runPair';
      /** The experiment's run (a new one each start or continuation); stale events are dropped. */ runId: string;
      /** The experiment's id: its files in IndexedDB. */ experimentId: string;
      pair: PairSpec;
      /** Epochs of endpoint training (fractions allowed: a few SGD steps for a quick look). */ epochs: number;
    }
  | { v: 1; type: 'pause' }
  | { v: 1; type: 'resume' }
  | { v: 1; type: 'stop' }
  | {
      v: 1;
      type: 'analyse';
      runId: string;
      experimentId: string;
      /** Also fit the joint per-layer PCA of all complete pairs' snapshots (paper Figure 4). */ pca: boolean;
    }
  | {
      v: 1;
      type: 'dimensionality';
      runId: string;
      experimentId: string;
      /** Model A (safetensors bytes) and its name. */ start: { name: string; bytes: ArrayBuffer };
      /** K: the number of excursions. */ paths: number;
      destinations: DimensionalityDestinations;
      config: DimensionalityConfig;
    };

export type FromExperimentWorker =
  | { v: 1; type: 'ready'; backend: string; reason: string; threads: boolean }
  | {
      v: 1;
      type: 'dataLoaded';
      ms: number;
      /** Bytes of MNIST this worker holds on the host (raw images and labels). */ hostBytes: number;
    }
  | { v: 1; type: 'pairMessage'; runId: string; pair: number; message: string }
  | {
      v: 1;
      type: 'pairTick';
      runId: string;
      pair: number;
      tick: number;
      /** T, the pair's ticks. */ total: number;
      /** Bytes in tensors this worker holds now (tf.memory().numBytes). */ tensorBytes: number;
    }
  | { v: 1; type: 'pairDone'; runId: string; pair: number; record: PairRecord }
  | { v: 1; type: 'pairFailed'; runId: string; pair: number; message: string }
  | {
      v: 1;
      type: 'analysed';
      runId: string;
      /** Complete pairs in summary.json (and pca.json). */ pairs: number[];
      /** Whether pca.json was written (it needs two or more snapshots). */ pca: boolean;
      ms: number;
    }
  | {
      v: 1;
      type: 'dimProgress';
      runId: string;
      /** 0: the start's own training; k = 1 … K: excursion k done. */ k: number;
      total: number;
      /** Mean mini-batch loss of that run of steps (nats). */ meanLoss: number;
      message: string;
    }
  | { v: 1; type: 'dimDone'; runId: string; ms: number }
  | { v: 1; type: 'error'; runId?: string; message: string };

export class ExperimentProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExperimentProtocolError';
  }
}

const TO_TYPES = ['init', 'runPair', 'pause', 'resume', 'stop', 'analyse', 'dimensionality'] as const;
const FROM_TYPES = [
  'ready',
  'dataLoaded',
  'pairMessage',
  'pairTick',
  'pairDone',
  'pairFailed',
  'analysed',
  'dimProgress',
  'dimDone',
  'error',
] as const;

function envelope(msg: unknown, types: readonly string[]): Record<string, unknown> {
  if (typeof msg !== 'object' || msg === null) throw new ExperimentProtocolError('message is not an object');
  const m = msg as Record<string, unknown>;
  if (m.v !== EXPERIMENT_PROTOCOL_VERSION)
    throw new ExperimentProtocolError(`experiment protocol version ${String(m.v)}, expected 1`);
  if (typeof m.type !== 'string' || !types.includes(m.type))
    throw new ExperimentProtocolError(`unknown experiment message type ${String(m.type)}`);
  return m;
}

const isInt = (n: unknown, min = 0): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min;
const isText = (s: unknown): s is string => typeof s === 'string' && s.length > 0;

function pairError(p: unknown): string | null {
  if (typeof p !== 'object' || p === null) return 'runPair needs a pair';
  const q = p as Record<string, unknown>;
  if (!isInt(q.index, 1) || !isInt(q.startSeed) || !(q.destSeed === null || isInt(q.destSeed)))
    return 'runPair: the pair needs index ≥ 1, startSeed and destSeed (null for M2O)';
  if (typeof q.config !== 'object' || q.config === null) return 'runPair: the pair needs a config';
  return null;
}

function destinationsError(d: unknown): string | null {
  const q = d as Record<string, unknown> | null;
  if (typeof q !== 'object' || q === null) return 'dimensionality needs destinations';
  if (typeof q.epochs !== 'number' || !(q.epochs > 0)) return 'dimensionality: destination epochs must be > 0';
  if (q.kind === 'seeds') return isInt(q.seedBase) ? null : 'dimensionality: seedBase must be an integer ≥ 0';
  return q.kind === 'pairs' ? null : 'dimensionality: destinations are seeds or pairs';
}

function dimConfigError(c: unknown): string | null {
  const q = c as Record<string, unknown> | null;
  if (typeof q !== 'object' || q === null) return 'dimensionality needs a config';
  if (!isInt(q.rounds) || !isInt(q.batch, 1) || !isInt(q.seed)) return 'dimensionality: rounds, batch and seed';
  for (const k of ['lr', 'momentum', 'step'] as const)
    if (typeof q[k] !== 'number' || !(Number(q[k]) >= 0)) return `dimensionality: ${k} must be ≥ 0`;
  return typeof q.augment === 'boolean' ? null : 'dimensionality: augment must be true or false';
}

/** Validates a command arriving at an experiment worker. */
export function parseToExperimentWorker(msg: unknown): ToExperimentWorker {
  const m = envelope(msg, TO_TYPES);
  const type = m.type as ToExperimentWorker['type'];
  const scoped = type === 'runPair' || type === 'analyse' || type === 'dimensionality';
  if (scoped && (!isText(m.runId) || !isText(m.experimentId)))
    throw new ExperimentProtocolError(`${type} needs runId and experimentId`);
  let why: string | null = null;
  switch (type) {
    case 'init':
      if (typeof m.dataUrl !== 'string') why = 'init needs dataUrl';
      break;
    case 'runPair':
      why = pairError(m.pair) ?? (typeof m.epochs === 'number' && m.epochs > 0 ? null : 'runPair: epochs must be > 0');
      break;
    case 'analyse':
      if (typeof m.pca !== 'boolean') why = 'analyse: pca must be true or false';
      break;
    case 'dimensionality': {
      const s = m.start as Record<string, unknown> | null;
      if (typeof s !== 'object' || s === null || !(s.bytes instanceof ArrayBuffer) || typeof s.name !== 'string')
        why = 'dimensionality needs start { name, bytes }';
      else if (!isInt(m.paths, 1) || m.paths > 64) why = 'dimensionality: paths (K) must be 1..64';
      else why = destinationsError(m.destinations) ?? dimConfigError(m.config);
      break;
    }
    case 'pause':
    case 'resume':
    case 'stop':
      break;
    default: {
      const never: never = type;
      why = `unhandled ${String(never)}`;
    }
  }
  if (why) throw new ExperimentProtocolError(why);
  return m as unknown as ToExperimentWorker;
}

/** Events that belong to one run of an experiment (checked against the current runId). */
const SCOPED_EVENTS = ['pairMessage', 'pairTick', 'pairDone', 'pairFailed', 'analysed', 'dimProgress', 'dimDone'];

/** Validates an event arriving at the app. */
export function parseFromExperimentWorker(msg: unknown): FromExperimentWorker {
  const m = envelope(msg, FROM_TYPES);
  if (SCOPED_EVENTS.includes(m.type as string) && !isText(m.runId))
    throw new ExperimentProtocolError(`${String(m.type)} without runId`);
  if (String(m.type).startsWith('pair') && !isInt(m.pair, 1))
    throw new ExperimentProtocolError(`${String(m.type)} without a pair index`);
  if (m.type === 'pairTick' && !(isInt(m.tick) && isInt(m.total)))
    throw new ExperimentProtocolError('pairTick needs tick and total');
  if (m.type === 'pairDone' && (typeof m.record !== 'object' || m.record === null))
    throw new ExperimentProtocolError('pairDone needs the pair record');
  if (m.type === 'analysed' && !Array.isArray(m.pairs)) throw new ExperimentProtocolError('analysed needs pairs');
  return m as unknown as FromExperimentWorker;
}
