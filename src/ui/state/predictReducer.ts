import type { FromWorker } from '../../worker/protocol';
import type { UiState } from './uiState';

/** The drawn digit's predictions: only the answer to the latest request is kept. */
export function reducePrediction(s: UiState, e: Extract<FromWorker, { type: 'prediction' }>): UiState {
  if (s.prediction?.requestId !== e.requestId) return s;
  return { ...s, prediction: { requestId: e.requestId, state: 'done', results: e.results } };
}
