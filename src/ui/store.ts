import { useSyncExternalStore } from 'react';
import type { RunConfig } from '../core/config';
import type { ModelInfo, Slot } from '../worker/protocol';
import type { PcaView } from '../core/analysis/pcaTracker';
import { PathSeries } from './pathSeries';

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

export interface RunView {
  runId: string;
  config: RunConfig;
  state: 'starting' | 'running' | 'paused' | 'stopped' | 'done' | 'failed';
  totalTicks: number;
  lastTick: number;
  ticksPerSecond: number;
  stepsPerSecond: number;
  /** Tick this run continues from (after a crash, a backend switch or a reload), or null. */
  resumedFrom: number | null;
  /** Key of the run in IndexedDB (stays the same when a run is continued). */
  storeId: string;
}

/** Everything the UI shows, except bulk series (PathSeries) and PCA views, which panels read directly. */
export interface UiState {
  backend: { name: string; reason: string; threads: boolean; crossOriginIsolated: boolean } | null;
  data: { state: 'idle' | 'loading' | 'ready' | 'error'; ms?: number };
  models: Record<Slot, ModelInfo | null>;
  training: Record<Slot, TrainProgressView | null>;
  run: RunView | null;
  errors: UiError[];
  /** Last checkpoint of the run (PyTorch-layout safetensors bytes), to continue after a crash. */
  checkpoint: { runId: string; tick: number; params: ArrayBuffer } | null;
  workerLost: string | null;
}

const initial: UiState = {
  backend: null,
  data: { state: 'idle' },
  models: { A: null, B: null },
  training: { A: null, B: null },
  run: null,
  errors: [],
  checkpoint: null,
  workerLost: null,
};

/** One-way data flow: worker events → store → components. */
export class Store {
  private state: UiState = initial;
  private listeners = new Set<() => void>();
  series: PathSeries | null = null;
  /** A second run overlaid on the loss and distance panels, or null. */
  compare: PathSeries | null = null;
  /** The endpoint models as files, to restore them into a new worker after a crash. */
  readonly modelBytes = new Map<'A' | 'B', { name: string; bytes: ArrayBuffer }>();
  readonly pca = new Map<string, PcaView>();
  private pcaListeners = new Set<() => void>();
  private nextErrorId = 1;

  get = (): UiState => this.state;

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  update(patch: Partial<UiState> | ((s: UiState) => Partial<UiState>)): void {
    const p = typeof patch === 'function' ? patch(this.state) : patch;
    this.state = { ...this.state, ...p };
    this.listeners.forEach((l) => l());
  }

  addError(e: Omit<UiError, 'id'>): void {
    this.update((s) => ({ errors: [...s.errors, { ...e, id: this.nextErrorId++ }] }));
  }

  dismissError(id: number): void {
    this.update((s) => ({ errors: s.errors.filter((e) => e.id !== id) }));
  }

  setPca(tensor: string, view: PcaView): void {
    this.pca.set(tensor, view);
    this.pcaListeners.forEach((l) => l());
  }

  subscribePca(l: () => void): () => void {
    this.pcaListeners.add(l);
    return () => this.pcaListeners.delete(l);
  }

  setCompare(series: PathSeries | null): void {
    this.compare = series;
    this.listeners.forEach((l) => l());
  }

  resetRun(series: PathSeries | null): void {
    this.series = series;
    this.pca.clear();
    this.pcaListeners.forEach((l) => l());
  }
}

export const store = new Store();

export function useUi<T>(select: (s: UiState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}
