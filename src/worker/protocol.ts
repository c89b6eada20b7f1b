/**
 * The typed, versioned message protocol between the UI and the engine worker: one tagged
 * union per direction, validated on receipt. Bulk numbers travel as transferable typed arrays.
 * This file imports no TF.js, so the UI can use it.
 */
import type { RunConfig } from '../core/config';
import type { BackendName } from '../core/backends/select';
import type { PointColumns } from '../core/llpf/pointFields';
import { PLANE_EVENTS, planeCommandError, type PlaneEvent } from './planeProtocol';
import { BASELINE_EVENTS, baselineCommandError, type BaselineCommand, type BaselineEvent } from './baselineProtocol';
import { predictCommandError, type PredictCommand, type PredictionEvent } from './predictProtocol';

export const PROTOCOL_VERSION = 1;
export type Slot = 'A' | 'B';

/** Path points in columns (layout owned by the path-point schema, src/core/llpf/pathPoint.ts). */
export type { PointColumns };
export type { PlaneCurve, PlaneData, PlaneGeometry, PlaneThird, PlaneTrace } from './planeProtocol';
export type { BaselineCurve, BaselineKind, CurveKind, LineKind, TrainedKind } from './baselineProtocol';
export type { PredictResult, PredictTarget } from './predictProtocol';

export type ToWorker =
  | {
      v: 1;
      type: 'init';
      backend: BackendName | null;
      /** Absolute URL of the folder with the MNIST files. */ dataUrl: string;
      pcaPort?: MessagePort;
    }
  | { v: 1; type: 'loadData' }
  | {
      v: 1;
      type: 'trainEndpoint';
      slot: Slot;
      seed: number;
      epochs: number;
      augment: boolean;
      /** Test images evaluated after each epoch (default all 10,000). */ testSamples?: number;
    }
  | { v: 1; type: 'loadModel'; slot: Slot; name: string; bytes: ArrayBuffer }
  | { v: 1; type: 'exportModel'; slot: Slot | 'current' }
  | {
      v: 1;
      type: 'startPath';
      runId: string;
      config: RunConfig;
      /** Continue from a `checkpoint` event's tick and bytes (exact when the bytes carry a stream cursor). */
      resume?: { tick: number; params: ArrayBuffer };
    }
  | { v: 1; type: 'pause' }
  | { v: 1; type: 'resume' }
  | { v: 1; type: 'step' }
  | { v: 1; type: 'stop' }
  | { v: 1; type: 'benchmark'; steps: number; warmup: number; budgetMs: number }
  | BaselineCommand
  | PredictCommand
  | {
      v: 1;
      type: 'plane';
      runId: string;
      /** Grid points per axis (2..101). */ grid: number;
      /** Margin m around A, B and C (SPEC §9), 0..2. */ margin: number;
      /** Train loss on the first `samples` training images. */ samples: number;
    };

export interface ModelInfo {
  slot: Slot;
  name: string;
  testAccuracy: number | null;
}

export type FromWorker =
  | {
      v: 1;
      type: 'ready';
      backend: BackendName;
      reason: string;
      probes: Array<{ name: string; available: boolean; software: boolean; detail: string }>;
      crossOriginIsolated: boolean;
      threads: boolean;
    }
  | { v: 1; type: 'dataLoaded'; train: number; test: number; ms: number }
  | {
      v: 1;
      type: 'trainProgress';
      slot: Slot;
      step: number;
      totalSteps: number;
      epoch: number;
      trainLoss: number;
      testAccuracy: number | null;
      testLoss: number | null;
      stepsPerSecond: number;
    }
  | {
      v: 1;
      type: 'model';
      info: ModelInfo;
      /** The model as safetensors, kept by the UI to restore a new worker. */ bytes: ArrayBuffer;
    }
  | { v: 1; type: 'modelFile'; slot: Slot | 'current'; bytes: ArrayBuffer }
  | { v: 1; type: 'runStarted'; runId: string; tensorNames: string[]; groupNames: string[]; totalTicks: number }
  | { v: 1; type: 'points'; runId: string; columns: PointColumns; ticksPerSecond: number; stepsPerSecond: number }
  | {
      v: 1;
      type: 'checkpoint';
      runId: string;
      tick: number;
      /** P, the tick and the mini-batch stream cursor as safetensors (send back as `startPath.resume.params`). */
      params: ArrayBuffer;
    }
  | { v: 1; type: 'runState'; runId: string; state: 'running' | 'paused' | 'stopped' | 'done' }
  | {
      v: 1;
      type: 'benchmarkResult';
      backend: string;
      msPerStep: number[];
      /** ms per evaluation of 2,000 training images: the kernel's forward (empty off wasm) and TF.js's. */
      evalMs: { kernel: number[]; tfjs: number[] };
    }
  | BaselineEvent
  | PlaneEvent
  | PredictionEvent
  | {
      v: 1;
      type: 'error';
      scope: 'data' | 'model' | 'train' | 'path' | 'backend' | 'protocol';
      message: string;
      runId?: string;
      tick?: number;
      recoverable: boolean;
    };

/** What the worker's benchmark measured (`npm run bench` reads it through window.__lowloss). */
export type BenchmarkResult = Extract<FromWorker, { type: 'benchmarkResult' }>;

/** Snapshots go straight from the engine worker to the PCA worker over a MessagePort. */
export interface SnapshotMessage {
  v: 1;
  type: 'snapshot';
  runId: string;
  tick: number;
  /** Tensor name → values (engine layout); buffers are transferred. */
  tensors: Record<string, Float32Array>;
}

const TO_WORKER_TYPES = [
  'init',
  'loadData',
  'trainEndpoint',
  'loadModel',
  'exportModel',
  'startPath',
  'pause',
  'resume',
  'step',
  'stop',
  'benchmark',
  'baseline',
  'curve',
  'autoneb',
  'plane',
  'predict',
] as const;
const FROM_WORKER_TYPES = [
  'ready',
  'dataLoaded',
  'trainProgress',
  'model',
  'modelFile',
  'runStarted',
  'points',
  'checkpoint',
  'runState',
  'benchmarkResult',
  ...BASELINE_EVENTS,
  ...PLANE_EVENTS,
  'prediction',
  'error',
] as const;

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

function envelope(msg: unknown, types: readonly string[]): Record<string, unknown> {
  if (typeof msg !== 'object' || msg === null) throw new ProtocolError('message is not an object');
  const m = msg as Record<string, unknown>;
  if (m.v !== PROTOCOL_VERSION)
    throw new ProtocolError(`protocol version ${String(m.v)}, expected ${PROTOCOL_VERSION}`);
  if (typeof m.type !== 'string' || !types.includes(m.type))
    throw new ProtocolError(`unknown message type ${String(m.type)}`);
  return m;
}

const isSlot = (s: unknown): s is Slot => s === 'A' || s === 'B';
const isInt = (n: unknown, min = 0): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min;

/** Validates a command arriving at the worker. */
export function parseToWorker(msg: unknown): ToWorker {
  const m = envelope(msg, TO_WORKER_TYPES);
  switch (m.type as ToWorker['type']) {
    case 'trainEndpoint':
      if (
        !isSlot(m.slot) ||
        !isInt(m.seed) ||
        typeof m.epochs !== 'number' ||
        !(m.epochs > 0) ||
        typeof m.augment !== 'boolean'
      ) {
        throw new ProtocolError('trainEndpoint needs slot A|B, an integer seed, epochs > 0 and augment');
      }
      if (m.testSamples !== undefined && !(isInt(m.testSamples, 1) && m.testSamples <= 10000))
        throw new ProtocolError('trainEndpoint: testSamples must be 1..10000');
      break;
    case 'loadModel':
      if (!isSlot(m.slot) || !(m.bytes instanceof ArrayBuffer) || typeof m.name !== 'string')
        throw new ProtocolError('loadModel needs slot, name and bytes');
      break;
    case 'exportModel':
      if (!isSlot(m.slot) && m.slot !== 'current') throw new ProtocolError('exportModel needs slot A, B or current');
      break;
    case 'startPath':
      if (typeof m.runId !== 'string' || typeof m.config !== 'object' || m.config === null)
        throw new ProtocolError('startPath needs runId and config');
      break;
    case 'benchmark':
      if (!isInt(m.steps, 1) || !isInt(m.warmup) || typeof m.budgetMs !== 'number')
        throw new ProtocolError('benchmark needs steps, warmup and budgetMs');
      break;
    case 'baseline':
    case 'curve':
    case 'autoneb':
    case 'plane':
    case 'predict': {
      const check = { plane: planeCommandError, predict: predictCommandError }[m.type as string];
      const why = (check ?? baselineCommandError)(m);
      if (why) throw new ProtocolError(why);
      break;
    }
    case 'init':
      if (typeof m.dataUrl !== 'string') throw new ProtocolError('init needs dataUrl');
      break;
    case 'loadData':
    case 'pause':
    case 'resume':
    case 'step':
    case 'stop':
      break;
    default: {
      const never: never = m.type as never;
      throw new ProtocolError(`unhandled ${String(never)}`);
    }
  }
  return m as unknown as ToWorker;
}

const RUN_EVENTS = ['points', 'runState', 'checkpoint', 'runStarted', ...BASELINE_EVENTS, ...PLANE_EVENTS] as const;

/** Validates an event arriving at the UI. */
export function parseFromWorker(msg: unknown): FromWorker {
  const m = envelope(msg, FROM_WORKER_TYPES);
  if (m.type === 'points') {
    const c = m.columns as PointColumns | undefined;
    if (!c || !isInt(c.count) || !(c.tick instanceof Float64Array) || c.tick.length !== c.count)
      throw new ProtocolError('points: malformed columns');
  }
  if (RUN_EVENTS.includes(m.type as never) && typeof m.runId !== 'string') {
    throw new ProtocolError(`${String(m.type)} without runId`);
  }
  if (m.type === 'prediction' && (typeof m.requestId !== 'string' || !Array.isArray(m.results)))
    throw new ProtocolError('prediction without requestId or results');
  return m as unknown as FromWorker;
}
