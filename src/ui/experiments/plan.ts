import { presetFor, type Mode } from '../../core/config';
import type { ExperimentPlan } from '../../core/experiments/experiment';

/** The experiment form (SPEC §10): what an experiment runs. */
export interface ExperimentForm {
  mode: Mode;
  /** N pairs. */
  pairs: number;
  /** Endpoint training epochs E (fractions: fewer SGD steps than an epoch). */
  epochs: number;
  preset: 'quick' | 'paper';
  /** Endpoint seeds start after this. */
  seedBase: number;
  /** T: ticks of every path (null: the preset's). */
  ticks: number | null;
  /** Workers, one pair at a time each. */
  workers: number;
}

/** The workers one browser can run: one per core (SPEC §10). */
export const coreCount = (): number => Math.max(1, navigator.hardwareConcurrency || 1);

/** The experiment's plan from the form (the preset's path config, the form's ticks). */
export function planOf(form: ExperimentForm): ExperimentPlan {
  const config = { ...presetFor(form.preset, form.mode), mode: form.mode };
  if (form.ticks !== null) config.ticks = form.ticks;
  return { mode: form.mode, pairs: form.pairs, epochs: form.epochs, seedBase: form.seedBase, config };
}

/** What the list shows for an experiment. */
export const experimentName = (f: ExperimentForm, ticks: number): string =>
  `${f.mode.toUpperCase()} × ${f.pairs}, ${f.preset} (${ticks} ticks), endpoints ${f.epochs} epoch(s) from seed ${f.seedBase + 1}`;
