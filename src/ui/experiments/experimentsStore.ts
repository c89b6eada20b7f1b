import { useSyncExternalStore } from 'react';
import {
  INITIAL_EXPERIMENTS,
  reduceExperiments,
  type ExperimentAction,
  type ExperimentsState,
} from './experimentState';

/** The Experiments section's store: actions → reducer → state → components (one-way, STYLE.md). */
export class ExperimentsStore {
  private state: ExperimentsState = INITIAL_EXPERIMENTS;
  private readonly listeners = new Set<() => void>();
  private readonly effects: Array<(a: ExperimentAction, prev: ExperimentsState, next: ExperimentsState) => void> = [];

  get = (): ExperimentsState => this.state;

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** Registers a side effect that sees every action with the states before and after it. */
  onAction(effect: (a: ExperimentAction, prev: ExperimentsState, next: ExperimentsState) => void): void {
    this.effects.push(effect);
  }

  dispatch = (a: ExperimentAction): void => {
    const prev = this.state;
    this.state = reduceExperiments(prev, a);
    for (const e of this.effects) e(a, prev, this.state);
    if (this.state !== prev) this.listeners.forEach((l) => l());
  };
}

export const experiments = new ExperimentsStore();

/** A slice of the experiments state, re-rendering when it changes. */
export function useExperiments<T>(select: (s: ExperimentsState) => T): T {
  return useSyncExternalStore(experiments.subscribe, () => select(experiments.get()));
}
