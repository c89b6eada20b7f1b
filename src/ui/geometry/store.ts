import { useSyncExternalStore } from 'react';
import { reduceGeometry, type GeometryAction } from './reducer';
import { INITIAL_GEOMETRY, type GeometryState } from './state';

/**
 * The Geometry section's store: actions → reduceGeometry → state → components (one-way). Model files
 * (population members, binary models, the chain's bend, loaded files) live beside the state, keyed
 * by GeometryModel id, as they are bulk bytes.
 */
export class GeometryStore {
  private state: GeometryState = INITIAL_GEOMETRY;
  private readonly listeners = new Set<() => void>();
  readonly files = new Map<string, { name: string; bytes: ArrayBuffer }>();

  get = (): GeometryState => this.state;

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  dispatch = (a: GeometryAction): void => {
    const prev = this.state;
    this.state = reduceGeometry(prev, a);
    if (this.state !== prev) this.listeners.forEach((l) => l());
  };
}

export const geometryStore = new GeometryStore();

/** Reads a part of the geometry state in a component. */
export function useGeometry<T>(select: (s: GeometryState) => T): T {
  return useSyncExternalStore(geometryStore.subscribe, () => select(geometryStore.get()));
}
