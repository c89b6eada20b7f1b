/**
 * The typed, versioned protocol between the UI and the geometry worker (issue #14; SPEC §7): one tagged
 * union per direction, validated on receipt, a runId on every job and on every event it streams (the
 * UI drops events of other runs), bulk numbers as transferable typed arrays. No TF.js here.
 */
import type { BackendName } from '../core/backends/select';
import {
  RECIPE_NAMES,
  type BinaryComparison,
  type CanonicalView,
  type Comparison,
  type ErrorProfile,
  type FlatnessRow,
  type MemberRow,
  type ModelFile,
  type PairRow,
  type PathSnapshotFile,
  type ProfilePath,
  type RecipeName,
} from './geometryTypes';

export * from './geometryTypes';
export const GEOMETRY_PROTOCOL_VERSION = 1;

/** Flatness settings (SPEC §7): δE at each σ, averaged over `samples` noise draws, on the first `trainImages`. */
export interface FlatnessSettings {
  sigmas: number[];
  samples: number;
  trainImages: number;
  seed: number;
}

export type ToGeometry =
  | { v: 1; type: 'init'; backend: BackendName | null; /** Absolute URL of the MNIST folder. */ dataUrl: string }
  | { v: 1; type: 'canonical'; runId: string; a: ModelFile; b: ModelFile | null; testImages: number }
  | { v: 1; type: 'compare'; runId: string; a: ModelFile; b: ModelFile; testImages: number }
  | {
      v: 1;
      type: 'landscape';
      runId: string;
      a: ModelFile;
      b: ModelFile;
      /** Evenly spaced t ∈ [0, 1] per path. */ points: number;
      /** 0-1 train error on the first `trainImages` training images (no augmentation). */ trainImages: number;
      testImages: number;
    }
  | {
      v: 1;
      type: 'flatness';
      runId: string;
      models: ModelFile[];
      /** Path snapshots (ticks), evaluated after `models`. */ snapshots: PathSnapshotFile[];
      flatness: FlatnessSettings;
      testImages: number;
    }
  | {
      v: 1;
      type: 'population';
      runId: string;
      recipes: RecipeName[];
      /** Models per recipe (distinct seeds). */ perRecipe: number;
      /** Training length × each recipe's epochs (1, 2, 1). */ epochScale: number;
      seed: number;
      flatness: FlatnessSettings;
      geodesicPoints: number;
      trainImages: number;
      testImages: number;
    }
  | {
      v: 1;
      type: 'chain';
      runId: string;
      a: ModelFile;
      b: ModelFile;
      /** Adam steps at most (batch 64). */ maxSteps: number;
      evalEvery: number;
      points: number;
      /** Stop when the largest train error along the chain is ≤ this (fraction). */ targetError: number;
      trainImages: number;
      testImages: number;
    }
  | { v: 1; type: 'binaryTrain'; runId: string; seed: number; epochs: number }
  | {
      v: 1;
      type: 'binaryCompare';
      runId: string;
      a: ModelFile;
      b: ModelFile;
      points: number;
      trainImages: number;
      testImages: number;
    }
  | { v: 1; type: 'cancel'; runId: string };

export type GeometryJob = Exclude<ToGeometry, { type: 'init' | 'cancel' }>;
export type GeometryJobType = GeometryJob['type'];

export type FromGeometry =
  | { v: 1; type: 'ready'; backend: string; reason: string; threads: boolean }
  | { v: 1; type: 'dataLoaded'; ms: number }
  | {
      v: 1;
      type: 'progress';
      runId: string;
      /** Units of work done of `total`, and what is being done. */ done: number;
      total: number;
      label: string;
    }
  | { v: 1; type: 'canonicalDone'; runId: string; view: CanonicalView }
  | { v: 1; type: 'compareDone'; runId: string; result: Comparison }
  | {
      v: 1;
      type: 'profilePoint';
      runId: string;
      path: ProfilePath;
      i: number;
      t: number;
      trainError: number;
      testError: number;
    }
  | { v: 1; type: 'landscapeDone'; runId: string; geodesic: ErrorProfile; line: ErrorProfile }
  | { v: 1; type: 'flatnessRow'; runId: string; index: number; row: FlatnessRow }
  | {
      v: 1;
      type: 'trainProgress';
      runId: string;
      /** Model being trained ("adam-b64 seed 5"). */ member: string;
      step: number;
      totalSteps: number;
      /** Mean mini-batch cross-entropy since the last report (nats). */ trainLoss: number;
      /** Test accuracy at an epoch end (binary training), else null. */ testAccuracy: number | null;
    }
  | { v: 1; type: 'memberTrained'; runId: string; name: string; recipe: string; bytes: ArrayBuffer }
  | { v: 1; type: 'memberRow'; runId: string; row: MemberRow }
  | { v: 1; type: 'pairRow'; runId: string; row: PairRow }
  | { v: 1; type: 'chainLoss'; runId: string; step: number; /** Mean mini-batch loss (nats). */ loss: number }
  | {
      v: 1;
      type: 'chainEval';
      runId: string;
      step: number;
      profile: ErrorProfile;
      maxTrainError: number;
      /** Set on the last evaluation: the trained bend as safetensors. */ bend: ArrayBuffer | null;
      reachedTarget: boolean;
    }
  | { v: 1; type: 'binaryDone'; runId: string; name: string; bytes: ArrayBuffer; testAccuracy: number }
  | { v: 1; type: 'binaryCompareDone'; runId: string; result: BinaryComparison }
  | { v: 1; type: 'jobDone'; runId: string; ms: number }
  | { v: 1; type: 'cancelled'; runId: string }
  | { v: 1; type: 'error'; runId: string | null; message: string };

export class GeometryProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeometryProtocolError';
  }
}

/** A field check: returns what the field must be when it is wrong, else null. */
type Check = (x: unknown) => string | null;
const int =
  (lo: number, hi: number): Check =>
  (x) =>
    typeof x === 'number' && Number.isInteger(x) && x >= lo && x <= hi ? null : `an integer ${lo}..${hi}`;
const num =
  (lo: number, hi: number): Check =>
  (x) =>
    typeof x === 'number' && x >= lo && x <= hi ? null : `a number ${lo}..${hi}`;
const str: Check = (x) => (typeof x === 'string' && x !== '' ? null : 'a non-empty string');
const isFile = (x: unknown) =>
  typeof x === 'object' && x !== null && typeof (x as ModelFile).name === 'string' && bytesOf(x) !== null;
const bytesOf = (x: unknown) => ((x as ModelFile).bytes instanceof ArrayBuffer ? (x as ModelFile).bytes : null);
const file: Check = (x) => (isFile(x) ? null : 'a model file {name, bytes: ArrayBuffer}');
const fileOrNull: Check = (x) => (x === null || isFile(x) ? null : 'a model file or null');
const listOf =
  (item: Check, lo: number, hi: number): Check =>
  (x) =>
    Array.isArray(x) && x.length >= lo && x.length <= hi && x.every((v) => item(v) === null)
      ? null
      : `a list of ${lo}..${hi} items, each ${item(undefined) ?? 'valid'}`;
const snapshot: Check = (x) =>
  typeof x === 'object' && x !== null && int(0, 1e9)((x as PathSnapshotFile).tick) === null && bytesOf(x) !== null
    ? null
    : 'a snapshot {tick, bytes}';
const recipe: Check = (x) => (RECIPE_NAMES.includes(x as RecipeName) ? null : RECIPE_NAMES.join('|'));
const shape =
  (fields: Record<string, Check>): Check =>
  (x) => {
    if (typeof x !== 'object' || x === null) return 'an object';
    for (const [k, c] of Object.entries(fields)) {
      const why = c((x as Record<string, unknown>)[k]);
      if (why) return `{${k}: ${why}}`;
    }
    return null;
  };

const images = { trainImages: int(1, 60000), testImages: int(1, 10000) };
const flatness = shape({
  sigmas: listOf(num(0, 10), 1, 50),
  samples: int(1, 1000),
  trainImages: int(1, 60000),
  seed: int(0, 2 ** 31),
});

/** Every command's fields and their checks (the one schema the worker validates against). */
const COMMANDS: Record<ToGeometry['type'], Record<string, Check>> = {
  init: { dataUrl: str, backend: (x) => (x === null || typeof x === 'string' ? null : 'a backend name or null') },
  canonical: { runId: str, a: file, b: fileOrNull, testImages: images.testImages },
  compare: { runId: str, a: file, b: file, testImages: images.testImages },
  landscape: { runId: str, a: file, b: file, points: int(2, 201), ...images },
  flatness: {
    runId: str,
    models: listOf(file, 0, 64),
    snapshots: listOf(snapshot, 0, 256),
    flatness,
    testImages: images.testImages,
  },
  population: {
    runId: str,
    recipes: listOf(recipe, 1, 3),
    perRecipe: int(1, 8),
    epochScale: num(0.01, 50),
    seed: int(0, 1e6),
    flatness,
    geodesicPoints: int(2, 101),
    ...images,
  },
  chain: {
    runId: str,
    a: file,
    b: file,
    maxSteps: int(1, 1e6),
    evalEvery: int(1, 1e6),
    points: int(2, 201),
    targetError: num(0, 1),
    ...images,
  },
  binaryTrain: { runId: str, seed: int(0, 1e6), epochs: num(0.01, 100) },
  binaryCompare: { runId: str, a: file, b: file, points: int(2, 201), ...images },
  cancel: { runId: str },
};

function envelope(msg: unknown, types: readonly string[]): Record<string, unknown> {
  if (typeof msg !== 'object' || msg === null) throw new GeometryProtocolError('message is not an object');
  const m = msg as Record<string, unknown>;
  if (m.v !== GEOMETRY_PROTOCOL_VERSION)
    throw new GeometryProtocolError(`protocol version ${String(m.v)}, expected ${GEOMETRY_PROTOCOL_VERSION}`);
  if (typeof m.type !== 'string' || !types.includes(m.type))
    throw new GeometryProtocolError(`unknown message type ${String(m.type)}`);
  return m;
}

/** Validates a command arriving at the geometry worker; the error names the first bad field. */
export function parseToGeometry(msg: unknown): ToGeometry {
  const m = envelope(msg, Object.keys(COMMANDS));
  for (const [field, check] of Object.entries(COMMANDS[m.type as ToGeometry['type']])) {
    const why = check(m[field]);
    if (why) throw new GeometryProtocolError(`${String(m.type)}: ${field} must be ${why}`);
  }
  return m as unknown as ToGeometry;
}

const EVENT_TYPES: readonly FromGeometry['type'][] = [
  'ready',
  'dataLoaded',
  'progress',
  'canonicalDone',
  'compareDone',
  'profilePoint',
  'landscapeDone',
  'flatnessRow',
  'trainProgress',
  'memberTrained',
  'memberRow',
  'pairRow',
  'chainLoss',
  'chainEval',
  'binaryDone',
  'binaryCompareDone',
  'jobDone',
  'cancelled',
  'error',
];

/** Validates an event arriving at the UI: known type, and a runId on every job event. */
export function parseFromGeometry(msg: unknown): FromGeometry {
  const m = envelope(msg, EVENT_TYPES);
  const global = m.type === 'ready' || m.type === 'dataLoaded' || m.type === 'error';
  if (!global && typeof m.runId !== 'string') throw new GeometryProtocolError(`${String(m.type)} without runId`);
  if (m.type === 'error' && typeof m.message !== 'string') throw new GeometryProtocolError('error without message');
  if (m.type === 'canonicalDone' && !((m.view as CanonicalView)?.normsBefore instanceof Float64Array))
    throw new GeometryProtocolError('canonicalDone: norms must be Float64Arrays');
  return m as unknown as FromGeometry;
}
