import type { BaselineKind, FromWorker } from '../../worker/protocol';
import type { UiState } from './uiState';

const KINDS: BaselineKind[] = ['line', 'aligned'];

/** Baseline events → the baseline views (events of a baseline no longer shown are dropped). */
export function reduceBaseline(s: UiState, e: FromWorker): UiState {
  if (e.type !== 'baselineProgress' && e.type !== 'baselineDone' && e.type !== 'error') return s;
  const kind = e.type === 'error' ? KINDS.find((k) => s.baselines[k]?.runId === e.runId) : e.kind;
  const view = kind && s.baselines[kind];
  if (!kind || !view || view.runId !== e.runId) return s;
  let next = view;
  if (e.type === 'error') next = { ...view, state: 'failed' };
  else if (e.type === 'baselineProgress')
    next = {
      ...view,
      t: [...view.t, e.t],
      trainLoss: [...view.trainLoss, e.trainLoss],
      testAccuracy: [...view.testAccuracy, e.testAccuracy],
    };
  else {
    const { t, trainLoss, testAccuracy, barrier } = e.curve;
    next = { ...view, state: 'done', t, trainLoss, testAccuracy, barrier, trainImages: e.trainImages };
  }
  return { ...s, baselines: { ...s.baselines, [kind]: next } };
}
