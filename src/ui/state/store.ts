import { useSyncExternalStore } from 'react';
import type { PcaView } from '../../core/analysis/pcaTracker';
import type { PathSeries } from '../pathSeries';
import { reduce, type UiAction } from './reducer';
import { INITIAL_STATE, type UiState } from './uiState';

/** Sees every action with the state before and after it (persistence, series, downloads). */
export type ActionListener = (action: UiAction, prev: UiState, next: UiState) => void;

/**
 * One-way data flow: actions → reducer → state → components. Bulk data that must not be copied
 * per event (the path series, PCA views, model bytes) lives beside the state, not in it.
 */
export class Store {
  private state: UiState = INITIAL_STATE;
  private listeners = new Set<() => void>();
  private actionListeners: ActionListener[] = [];
  series: PathSeries | null = null;
  /** A second run overlaid on the loss and distance panels, or null. */
  compare: PathSeries | null = null;
  /** The endpoint models as files, to restore them into a new worker after a crash. */
  readonly modelBytes = new Map<'A' | 'B', { name: string; bytes: ArrayBuffer }>();
  readonly pca = new Map<string, PcaView>();
  private pcaListeners = new Set<() => void>();

  get = (): UiState => this.state;

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** Registers a side effect; listeners run in registration order, after the state changed. */
  onAction(l: ActionListener): () => void {
    this.actionListeners.push(l);
    return () => (this.actionListeners = this.actionListeners.filter((x) => x !== l));
  }

  dispatch = (action: UiAction): void => {
    const prev = this.state;
    this.state = reduce(prev, action);
    for (const l of this.actionListeners) l(action, prev, this.state);
    if (this.state !== prev) this.notify();
  };

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
    this.notify();
  }

  /** Shows another series (null: none); PCA views belong to the old one and go. */
  resetRun(series: PathSeries | null): void {
    this.series = series;
    this.pca.clear();
    this.pcaListeners.forEach((l) => l());
    this.notify();
  }

  private notify(): void {
    this.listeners.forEach((l) => l());
  }
}

export const store = new Store();

export function useUi<T>(select: (s: UiState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}
