import { geometryBridge, type JobRequest } from '../../geometry/bridge';
import { geometryStore, useGeometry } from '../../geometry/store';
import type { JobSlot } from '../../geometry/state';

/**
 * Starts a geometry job built by `build` (which may throw, e.g. "model A is not loaded yet"); a
 * failure to start is shown with the section's errors, never swallowed.
 */
export function startJob(slot: JobSlot, label: string, build: () => JobRequest): void {
  try {
    geometryBridge.run(build(), slot, label);
  } catch (e) {
    geometryStore.dispatch({ type: 'error', message: (e as Error).message });
  }
}

/** True while a job runs or the worker is not ready (run buttons are disabled then). */
export function useBusy(): boolean {
  return useGeometry((s) => s.job !== null || s.worker.state !== 'ready' || s.data !== 'ready');
}

/** The display name of a selection id ('A', 'B' or a section model). */
export function useModelName(id: string): string {
  const name = useGeometry((s) => s.models.find((m) => m.id === id)?.name);
  return id === 'A' || id === 'B' ? `model ${id}` : (name ?? id);
}
