import type {
  BinaryComparison,
  CanonicalView,
  Comparison,
  FlatnessRow,
  GeometryJobType,
  MemberRow,
  PairRow,
} from '../../worker/geometryProtocol';

/**
 * What the Geometry section shows (issue #14; SPEC §7): the geometry worker's status, the one job it
 * runs at a time, and each analysis's latest result, filled as its events stream in. Model bytes live
 * beside the state (GeometryStore.files), not in it.
 */

/** 0-1 errors along a path, filled point by point; barriers once the path is complete. */
export interface ProfileView {
  t: number[];
  trainError: number[];
  testError: number[];
  /** Train-error barrier (fraction), null until the path is complete. */
  barrier: number | null;
  testBarrier: number | null;
}

/** Which result a job fills: its own, except a flatness job over path snapshots (pathFlatness). */
export type JobSlot =
  | 'canonical'
  | 'compare'
  | 'landscape'
  | 'flatness'
  | 'pathFlatness'
  | 'population'
  | 'chain'
  | 'binaryTraining'
  | 'binaryCompare';

export type SlotStatus = 'running' | 'done' | 'cancelled' | 'failed';

/** A model the section can analyse besides the engine's A and B. */
export interface GeometryModel {
  id: string;
  name: string;
  kind: 'real' | 'binary';
  /** Where it came from: a loaded file, the population, the chain's bend, binary training. */
  origin: 'file' | 'population' | 'chain' | 'binary';
  /** Test accuracy when known (0..1). */
  testAccuracy: number | null;
}

export interface TrainingView {
  member: string;
  step: number;
  totalSteps: number;
  /** Mean mini-batch cross-entropy (nats). */
  trainLoss: number;
  testAccuracy: number | null;
}

export interface GeometryState {
  worker: { state: 'off' | 'starting' | 'ready' | 'failed'; backend: string | null; message: string | null };
  data: 'idle' | 'ready';
  /** The job running in the worker (one at a time), with its latest progress. */
  job: { runId: string; type: GeometryJobType; slot: JobSlot; done: number; total: number; label: string } | null;
  errors: Array<{ id: number; message: string }>;
  nextErrorId: number;
  models: GeometryModel[];
  /** Which models the two-model analyses use: 'A', 'B' (the engine's endpoints) or a GeometryModel id. */
  selection: { first: string; second: string };
  canonical: { status: SlotStatus; view: CanonicalView | null } | null;
  compare: { status: SlotStatus; result: Comparison | null } | null;
  landscape: { status: SlotStatus; geodesic: ProfileView; line: ProfileView } | null;
  flatness: { status: SlotStatus; rows: FlatnessRow[] } | null;
  pathFlatness: { status: SlotStatus; rows: FlatnessRow[] } | null;
  population: {
    status: SlotStatus;
    training: TrainingView | null;
    trained: string[];
    members: MemberRow[];
    pairs: PairRow[];
  } | null;
  chain: {
    status: SlotStatus;
    losses: Array<[number, number]>;
    evals: Array<{ step: number; maxTrainError: number }>;
    profile: ProfileView | null;
    reachedTarget: boolean;
  } | null;
  binaryTraining: { status: SlotStatus; training: TrainingView | null } | null;
  binaryCompare: { status: SlotStatus; profile: ProfileView; result: BinaryComparison | null } | null;
  /** Path snapshots collected from the engine's checkpoints of the current run. */
  snapshots: { runId: string | null; count: number; firstTick: number | null; lastTick: number | null };
}

export const emptyProfile = (): ProfileView => ({
  t: [],
  trainError: [],
  testError: [],
  barrier: null,
  testBarrier: null,
});

export const INITIAL_GEOMETRY: GeometryState = {
  worker: { state: 'off', backend: null, message: null },
  data: 'idle',
  job: null,
  errors: [],
  nextErrorId: 1,
  models: [],
  selection: { first: 'A', second: 'B' },
  canonical: null,
  compare: null,
  landscape: null,
  flatness: null,
  pathFlatness: null,
  population: null,
  chain: null,
  binaryTraining: null,
  binaryCompare: null,
  snapshots: { runId: null, count: 0, firstTick: null, lastTick: null },
};
