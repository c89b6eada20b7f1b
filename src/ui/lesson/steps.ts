import type { PathSeries } from '../pathSeries';
import type { UiState } from '../state/uiState';

/** What a step's button does (lesson/actions.ts runs it). */
export type LessonActionKind = 'loadModels' | 'demo' | 'm2o';

/** One step of the guided lesson (issue #16): text, the panel it points at, and the action that fills it. */
export interface LessonStep {
  /** Short title, shown as "Step n of 6 · title". */
  title: string;
  /** What to look at and why, in a few sentences. */
  body: string;
  /** CSS selectors of the panel to highlight, the first one present wins (panels appear as runs start). */
  target: string[];
  /** The action that produces what the step shows, if it has not run yet. */
  action?: LessonActionKind;
  /** A line with the numbers measured so far, or null when there are none yet. */
  live?: (s: UiState, series: PathSeries | null) => string | null;
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const nats = (x: number) => `${x.toFixed(2)} nats`;

/** The highest test accuracy of an M2O run and the tick it was reached at, or null before any. */
export function accuracyPeak(series: PathSeries | null): { tick: number; accuracy: number } | null {
  if (!series) return null;
  let best: { tick: number; accuracy: number } | null = null;
  for (let i = 0; i < series.length; i++) {
    const a = series.testAccuracy.data[i];
    if (Number.isFinite(a) && (!best || a > best.accuracy)) best = { tick: series.tick.data[i], accuracy: a };
  }
  return best;
}

/** The highest train loss along the current run so far (nats), or null. */
export function maxTrainLoss(series: PathSeries | null): number | null {
  if (!series || !series.length) return null;
  let max = -Infinity;
  for (let i = 0; i < series.length; i++) {
    const l = series.trainLoss.data[i];
    if (Number.isFinite(l) && l > max) max = l;
  }
  return Number.isFinite(max) ? max : null;
}

/** The lesson, one row per step (SPEC §1: the phenomenon first, then the algorithm, then the analyses). */
export const LESSON_STEPS: readonly LessonStep[] = [
  {
    title: 'Two minima from two seeds',
    body:
      'Model A and model B are the same LeNet5, trained with the same recipe on MNIST from two random seeds ' +
      '(1 and 2). Both classify almost every test digit correctly, yet their weights are far apart: each sits ' +
      'in its own minimum of the training loss.',
    target: ['[data-testid=endpoints]', '[data-testid=endpoint-A]'],
    action: 'loadModels',
    live: (s) =>
      s.models.A && s.models.B
        ? `A: ${s.models.A.testAccuracy === null ? '—' : pct(s.models.A.testAccuracy)} test accuracy · ` +
          `B: ${s.models.B.testAccuracy === null ? '—' : pct(s.models.B.testAccuracy)}`
        : null,
  },
  {
    title: 'The straight line has a barrier',
    body:
      'Walk in a straight line from A to B, (1 − t)·A + t·B, and measure the training loss on the way. Halfway ' +
      'the mixed weights no longer work together: the loss climbs over a barrier (the red curve).',
    target: ['[data-testid=barrier-chart]'],
    action: 'demo',
    live: (s) =>
      s.baselines.line?.barrier != null ? `Barrier of the straight line: ${nats(s.baselines.line.barrier)}` : null,
  },
  {
    title: 'Permutation alignment lowers it',
    body:
      'Hidden units can be reordered without changing what a network computes. Reordering B’s units to match ' +
      'A’s (weight matching) gives the same model B at another place; the straight line to it has a lower ' +
      'barrier (the orange curve), but rarely none.',
    target: ['[data-testid=barrier-chart]'],
    action: 'demo',
    live: (s) =>
      s.baselines.aligned?.barrier != null && s.baselines.line?.barrier != null
        ? `Barrier: ${nats(s.baselines.line.barrier)} straight, ${nats(s.baselines.aligned.barrier)} aligned`
        : null,
  },
  {
    title: 'The LLPF path stays low',
    body:
      'LLPF (Algorithm 1) builds a path that avoids the barrier. Each tick it moves every layer a small step ' +
      'toward B, corrects each layer’s variance back onto A’s sphere (so the model keeps its scale), then ' +
      'retrains a few SGD steps until the loss is low again. The blue curve stays low from A all the way to B; ' +
      'the panels below show its loss and each layer’s distance to B.',
    target: ['[data-testid=barrier-chart]', '[data-testid=panel-loss]'],
    action: 'demo',
    live: (s, series) => {
      const max = s.run?.config.mode === 'm2m' ? maxTrainLoss(series) : null;
      return max === null ? null : `Highest train loss along the path so far: ${nats(max)}`;
    },
  },
  {
    title: 'M2O: accuracy peaks on a smaller variance sphere',
    body:
      'Model to origin (Algorithm 2) walks from A toward the all-zero network, shrinking every layer’s ' +
      'variance and retraining as it goes. Read the panel left to right: test accuracy first rises a little ' +
      'on a smaller sphere than A’s, then falls as the weights approach zero.',
    target: ['[data-testid=panel-variance]', '[data-testid=path-panels]', '[data-testid=run-controls]'],
    action: 'm2o',
    live: (s, series) => {
      const peak = s.run?.config.mode === 'm2o' ? accuracyPeak(series) : null;
      return peak ? `Peak test accuracy so far: ${pct(peak.accuracy)} at tick ${peak.tick}` : null;
    },
  },
  {
    title: 'Symmetries and flatness',
    body:
      'Why do such paths exist? Many weight settings compute the same function (permutations of hidden ' +
      'units, rescalings between layers), and minima found by SGD are wide and flat. The Geometry section ' +
      'measures both: distances with the symmetries removed, and how flat each model is.',
    target: ['#geometry', '[data-testid=barrier-chart]'],
  },
];
