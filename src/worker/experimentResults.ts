/**
 * File names and formats of an experiment's results in its folder (IndexedDB in the app, a folder
 * in the CLI). summary.json is the CLI's (core ExperimentSummary); pca.json the CLI's `lowloss pca`
 * output (core JointPca); dimensionality.json extends `lowloss dimensionality`'s with the effective
 * ranks of the threshold sweep. No TF.js here: the UI imports it.
 */
import type { DimensionalityConfig, TensorDimension } from '../core/experiments/dimensionality';
import type { DimensionalityDestinations } from './experimentProtocol';

export const SUMMARY_FILE = 'summary.json';
export const PCA_FILE = 'pca.json';
export const DIMENSIONALITY_DIR = 'dimensionality';
export const DIMENSIONALITY_FILE = `${DIMENSIONALITY_DIR}/dimensionality.json`;

/** One destination model of the §5.3 excursions. */
export interface DimensionalitySource {
  /** Its file in the experiment folder (models/…). */
  file: string;
  /** True when this run trained it from a seed (none of the experiment's models was left). */
  trained: boolean;
}

/** dimensionality/dimensionality.json: the §5.3 measurement of one start model (SPEC §10). */
export interface DimensionalityFile {
  kind: 'lowloss-dimensionality';
  version: 1;
  /** Name of model A. */
  start: string;
  /** K: excursions. */
  paths: number;
  destinations: DimensionalitySource[];
  requested: DimensionalityDestinations;
  /** Where the destinations came from, in words. */
  note: string;
  config: DimensionalityConfig;
  /** Mean mini-batch loss (nats) of each run of steps: [start, excursion 1 … K]. */
  meanLoss: number[];
  /** Wall time of the whole measurement (s), destination training included. */
  seconds: number;
  /** The reference's 1,000 thresholds, log-spaced 1e-6 … 1e2. */
  thresholds: number[];
  /** Per tensor (PyTorch name, state_dict order): ranks, singular values, effective rank per threshold. */
  tensors: Record<string, TensorDimension>;
}

/** Checks a parsed dimensionality.json; returns it typed, or throws naming what is wrong. */
export function asDimensionalityFile(x: unknown): DimensionalityFile {
  const f = x as DimensionalityFile;
  if (f?.kind !== 'lowloss-dimensionality' || f.version !== 1) throw new Error('not a dimensionality.json (version 1)');
  if (!Array.isArray(f.thresholds) || typeof f.tensors !== 'object' || f.tensors === null)
    throw new Error('dimensionality.json: thresholds or tensors missing');
  for (const [name, t] of Object.entries(f.tensors)) {
    if (!Array.isArray(t.effectiveRanks) || t.effectiveRanks.length !== f.thresholds.length)
      throw new Error(`dimensionality.json: ${name} has no effective rank per threshold`);
  }
  return f;
}
