import { BASELINE_KINDS } from '../../worker/baselineProtocol';
import { isActive, type UiState } from './uiState';

/**
 * True while the engine worker runs a job: it runs one at a time (Runs.exclusive), so the buttons
 * that start another are disabled meanwhile.
 */
export function engineBusy(s: UiState): boolean {
  return (
    isActive(s.run?.state) ||
    Object.values(s.training).some((t) => t && t.step < t.totalSteps) ||
    BASELINE_KINDS.some((k) => s.baselines[k]?.state === 'running') ||
    s.plane?.state === 'running'
  );
}

/** True while a job other than a path runs (a baseline or the plane): what the panels' Stop buttons stop. */
export function sideJobRunning(s: UiState): boolean {
  return BASELINE_KINDS.some((k) => s.baselines[k]?.state === 'running') || s.plane?.state === 'running';
}

/** True when the worker has MNIST and both endpoints: what every baseline and the plane need. */
export function endpointsReady(s: UiState): boolean {
  return s.data.state === 'ready' && s.models.A !== null && s.models.B !== null;
}
