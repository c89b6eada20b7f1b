import type { RunConfig } from '../../core/config';
import type { BaselineKind, ModelInfo, PlaneData, PlaneGeometry, PredictResult, Slot } from '../../worker/protocol';

/** Endpoint training as the UI shows it. */
export interface TrainProgressView {
  step: number;
  totalSteps: number;
  epoch: number;
  trainLoss: number;
  testAccuracy: number | null;
  stepsPerSecond: number;
  /** Loss curve so far (step, loss). */
  curve: Array<[number, number]>;
}

export interface UiError {
  id: number;
  scope: string;
  message: string;
  recoverable: boolean;
  tick?: number;
}

export type RunPhase = 'starting' | 'running' | 'paused' | 'stopped' | 'done' | 'failed';

export interface RunView {
  runId: string;
  config: RunConfig;
  state: RunPhase;
  totalTicks: number;
  lastTick: number;
  ticksPerSecond: number;
  stepsPerSecond: number;
  /** Tick this run continues from (after a crash, a backend switch or a reload), or null. */
  resumedFrom: number | null;
  /** Key of the run in IndexedDB (stays the same when a run is continued). */
  storeId: string;
}

/** The state of a job that is not a path: a baseline or the plane. */
export type JobPhase = 'running' | 'done' | 'failed' | 'stopped';

/** A curve's training or AutoNEB's relaxation as the barrier chart shows it live. */
export interface TrainingView {
  /** SGD steps (mini-batch gradients) so far, of `totalSteps`. */
  step: number;
  totalSteps: number;
  /** Mean mini-batch train loss (nats) of the last steps. */
  loss: number;
  /** AutoNEB: the interior pivots' positions t and mini-batch losses. */
  pivots: { t: number[]; loss: number[] } | null;
}

/** A baseline (issue #13) as the barrier chart shows it: trained (curves, AutoNEB), then filled point by point. */
export interface BaselineView {
  runId: string;
  state: JobPhase;
  /** Training images the train loss is measured on (the first ones, no augmentation). */
  trainImages: number;
  /** Points requested, evenly spaced over t ∈ [0, 1]. */
  total: number;
  t: number[];
  /** Mean cross-entropy (nats) on the train subset. */
  trainLoss: number[];
  /** Accuracy in [0, 1] on all test images. */
  testAccuracy: Array<number | null>;
  /** SPEC §9 barrier (nats), once done. */
  barrier: number | null;
  /** Length of the path in parameter space, once done. */
  length: number | null;
  /** SGD steps spent building it, once done (0 for the straight lines). */
  sgdSteps: number | null;
  /** Training or relaxation so far (null for the straight lines). */
  training: TrainingView | null;
}

/** Predictions of the drawn digit (the path scrubber's canvas). */
export interface PredictionView {
  requestId: string;
  state: 'running' | 'done';
  results: PredictResult[];
}

/** The landscape plane (issue #13, SPEC §9) as its panel shows it: rows while it computes, then the whole plane. */
export interface PlaneView {
  runId: string;
  state: JobPhase;
  grid: number;
  /** Axes, A/B/C and the projected paths, from the `planeStarted` event on. */
  geometry: PlaneGeometry | null;
  /** Train-loss rows received so far (trainLoss[iy][ix]). */
  rows: number[][];
  plane: PlaneData | null;
  ms: number | null;
}

/** The one-click demo (issue #16): straight line, aligned line, the LLPF path, then the landscape plane. */
export type DemoPhase = 'idle' | 'models' | 'line' | 'aligned' | 'path' | 'plane' | 'done' | 'failed';

/** Everything the UI shows, except bulk series (PathSeries) and PCA views, which panels read directly. */
export interface UiState {
  backend: { name: string; reason: string; threads: boolean; crossOriginIsolated: boolean } | null;
  data: { state: 'idle' | 'loading' | 'ready' | 'error'; ms?: number };
  models: Record<Slot, ModelInfo | null>;
  training: Record<Slot, TrainProgressView | null>;
  run: RunView | null;
  errors: UiError[];
  /** Id the next error gets (kept in the state so the reducer stays pure). */
  nextErrorId: number;
  /** Last checkpoint of the run (PyTorch-layout safetensors bytes), to continue after a crash. */
  checkpoint: { runId: string; tick: number; params: ArrayBuffer } | null;
  workerLost: string | null;
  baselines: Record<BaselineKind, BaselineView | null>;
  plane: PlaneView | null;
  /** The path tick the scrubber points at (a snapshot tick), or null. */
  scrubTick: number | null;
  prediction: PredictionView | null;
  demo: DemoPhase;
  /** The run the demo started (its LLPF path), or null before it starts one. */
  demoRunId: string | null;
}

/** No baselines (the first visit, or new endpoints). */
export const NO_BASELINES: Record<BaselineKind, BaselineView | null> = {
  line: null,
  aligned: null,
  bezier: null,
  polychain: null,
  autoneb: null,
};

export const INITIAL_STATE: UiState = {
  backend: null,
  data: { state: 'idle' },
  models: { A: null, B: null },
  training: { A: null, B: null },
  run: null,
  errors: [],
  nextErrorId: 1,
  checkpoint: null,
  workerLost: null,
  baselines: NO_BASELINES,
  plane: null,
  scrubTick: null,
  prediction: null,
  demo: 'idle',
  demoRunId: null,
};

export const isActive = (state: RunPhase | null | undefined): boolean =>
  state === 'running' || state === 'paused' || state === 'starting';
