import type { FromWorker } from '../../worker/protocol';
import type { UiState } from './uiState';

/** Plane events → the plane view (events of a plane no longer shown are dropped). */
export function reducePlane(s: UiState, e: FromWorker): UiState {
  if (e.type !== 'planeProgress' && e.type !== 'planeDone' && e.type !== 'error') return s;
  const view = s.plane;
  if (!view || view.runId !== e.runId) return s;
  switch (e.type) {
    case 'error':
      return { ...s, plane: { ...view, state: 'failed' } };
    case 'planeProgress': {
      const rows = [...view.rows];
      rows[e.iy] = e.trainLoss;
      return { ...s, plane: { ...view, grid: e.rows, rows } };
    }
    case 'planeDone':
      return { ...s, plane: { ...view, state: 'done', rows: e.plane.trainLoss, plane: e.plane, ms: e.ms } };
  }
}
