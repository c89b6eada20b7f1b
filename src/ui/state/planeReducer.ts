import type { FromWorker } from '../../worker/protocol';
import type { UiState } from './uiState';

/** Plane events → the plane view (events of a plane no longer shown are dropped). */
export function reducePlane(s: UiState, e: FromWorker): UiState {
  if (!['planeStarted', 'planeProgress', 'planeDone', 'error', 'runState'].includes(e.type)) return s;
  const view = s.plane;
  if (!view || !('runId' in e) || view.runId !== e.runId) return s;
  switch (e.type) {
    case 'error':
      return { ...s, plane: { ...view, state: 'failed' } };
    case 'runState':
      return e.state === 'stopped' && view.state === 'running' ? { ...s, plane: { ...view, state: 'stopped' } } : s;
    case 'planeStarted':
      return { ...s, plane: { ...view, geometry: e.geometry, grid: e.geometry.y.length } };
    case 'planeProgress': {
      const rows = [...view.rows];
      rows[e.iy] = e.trainLoss;
      return { ...s, plane: { ...view, grid: e.rows, rows } };
    }
    case 'planeDone':
      return {
        ...s,
        plane: { ...view, state: 'done', rows: e.plane.trainLoss, geometry: e.plane, plane: e.plane, ms: e.ms },
      };
    default:
      return s;
  }
}
