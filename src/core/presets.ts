import { LENET5_GROUPS } from './model/spec';
import type { RunConfig } from './config';

/** Presets of the run config (src/core/config.ts): the paper's settings and our quick ones. */
const ALL = [...LENET5_GROUPS];

/** The reference's data pipeline and evaluation (SPEC §2, §3.3; issue #11). */
const PAPER_DATA = { augment: true, trainSubset: 0, batchMode: 'reference', evalSubset: 10000 } as const;
/** The quick presets' data: fixed batch shapes, the full test set; clean images for M2M (docs/REPRODUCTION.md). */
const QUICK_DATA = { augment: false, trainSubset: 0, batchMode: 'fixed', evalSubset: 10000 } as const;

/** Settings every preset shares: the step rule, plain SGD at lr 0.001 on batches of 64, all layers. */
const COMMON = { rule: 'max', lr: 0.001, batch: 64, seed: 0, moveLayers: ALL, trainLayers: ALL } as const;
/** The baselines' train-loss measure at the evaluated ticks (SPEC §9: the first 10,000 training images). */
const TRAIN_EVAL = { trainEvalSamples: 10000 } as const;
/** The paper's schedule: every group steps by the step rule, no adaptation. */
const PAPER_SCHEDULE = { groupSteps: 'equal', adaptive: false } as const;

/**
 * Paper presets (SPEC §3, §4): the reference's pipeline, the full test set every 100 (M2M) or
 * 10 (M2O) ticks. Quick presets: ours, chosen by measurement (docs/REPRODUCTION.md), about 2,500 SGD steps each.
 */
export const PRESETS: Record<string, RunConfig> = {
  'paper-m2m': {
    ...COMMON,
    ...TRAIN_EVAL,
    ...PAPER_DATA,
    ...PAPER_SCHEDULE,
    ...{ mode: 'm2m', ticks: 30000, stepF: 1e-3, stepA: 0, clamp: false, roundsMin: 5, roundsMax: 5, threshold: 0.1 },
    ...{ evalEvery: 100, snapshotEvery: 100 },
  },
  'paper-m2o': {
    ...COMMON,
    ...TRAIN_EVAL,
    ...PAPER_DATA,
    ...PAPER_SCHEDULE,
    ...{ mode: 'm2o', ticks: 1400, stepF: 0, stepA: 1e-3, clamp: false, roundsMin: 5, roundsMax: 100, threshold: 0.02 },
    ...{ evalEvery: 10, snapshotEvery: 20 },
  },
  'quick-m2m': {
    ...COMMON,
    ...TRAIN_EVAL,
    ...QUICK_DATA,
    ...{ mode: 'm2m', ticks: 100, stepF: 0.1, stepA: 0, clamp: true, roundsMin: 5, roundsMax: 150, threshold: 0.05 },
    ...{ lr: 0.03, groupSteps: 'together', adaptive: false, evalEvery: 20, snapshotEvery: 5 },
  },
  'quick-m2o': {
    ...COMMON,
    ...TRAIN_EVAL,
    ...{ ...QUICK_DATA, augment: true }, // measured: on clean images the accuracy peak is barely above the start
    ...{ mode: 'm2o', ticks: 80, stepF: 0, stepA: 0.01, clamp: false, roundsMin: 5, roundsMax: 30, threshold: 0.02 },
    ...{ lr: 0.005, groupSteps: 'equal', adaptive: false, evalEvery: 5, snapshotEvery: 5 },
  },
};
