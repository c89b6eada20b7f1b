import { BASELINE_KINDS, type BaselineKind } from '../../worker/baselineProtocol';
import type { FromWorker } from '../../worker/protocol';
import type { BaselineView, UiState } from './uiState';

/** Which baseline a run-scoped event belongs to, by its runId (for events without a kind). */
const kindOf = (s: UiState, runId: string | undefined) => BASELINE_KINDS.find((k) => s.baselines[k]?.runId === runId);

/**
 * Baseline events → the baseline views (events of a baseline no longer shown are dropped): the
 * training of a curve or AutoNEB live, then the curve point by point, then the whole curve; an
 * error fails the view, a `runState stopped` with its runId stops it.
 */
export function reduceBaseline(s: UiState, e: FromWorker): UiState {
  let kind: BaselineKind | undefined;
  switch (e.type) {
    case 'baselineProgress':
    case 'trainedProgress':
    case 'baselineDone':
      kind = e.kind;
      break;
    case 'error':
    case 'runState':
      kind = kindOf(s, e.runId);
      break;
    default:
      return s;
  }
  const view = kind && s.baselines[kind];
  if (!kind || !view || view.runId !== e.runId) return s;
  const next = nextView(view, e);
  return next === view ? s : { ...s, baselines: { ...s.baselines, [kind]: next } };
}

function nextView(view: BaselineView, e: FromWorker): BaselineView {
  switch (e.type) {
    case 'error':
      return { ...view, state: 'failed' };
    case 'runState':
      return e.state === 'stopped' && view.state === 'running' ? { ...view, state: 'stopped' } : view;
    case 'trainedProgress': {
      const { step, totalSteps, loss, pivots } = e;
      return { ...view, training: { step, totalSteps, loss, pivots } };
    }
    case 'baselineProgress':
      return {
        ...view,
        t: [...view.t, e.t],
        trainLoss: [...view.trainLoss, e.trainLoss],
        testAccuracy: [...view.testAccuracy, e.testAccuracy],
      };
    case 'baselineDone': {
      const { t, trainLoss, testAccuracy, barrier } = e.curve;
      const { trainImages, length, sgdSteps } = e;
      return { ...view, state: 'done', t, trainLoss, testAccuracy, barrier, trainImages, length, sgdSteps };
    }
    default:
      return view;
  }
}
