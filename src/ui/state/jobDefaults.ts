/**
 * Default sizes of the worker jobs that are not paths (issue #13), chosen to fit a live demo on
 * two CPU cores (wasm in headless Chromium); the times measured here are in BarrierChart's note.
 */

/** Training images every baseline's train loss is measured on (SPEC §9: the first 10,000). */
export const BASELINE_TRAIN_IMAGES = 10000;
/** Points along each straight line. */
export const LINE_POINTS = 25;
/** Points along each trained curve and the AutoNEB chain (each costs 20,000 forward passes). */
export const TRAINED_POINTS = 17;

/**
 * Bezier and polychain (Garipov et al. 2018): SGD steps on the bend at a base learning rate of 0.05
 * (scheduled down to 1 %). Measured on the bundled models (`lowloss curve --steps 500 --lr 0.05`):
 * the Bezier curve's train loss stays ≤ 0.09.
 */
export const CURVE_DEFAULTS = { steps: 500, lr: 0.05, seed: 1 } as const;

/** AutoNEB (Draxler et al. 2018): 3 interior pivots, 3 cycles of 40 steps (480 pivot gradients in all). */
export const AUTONEB_DEFAULTS = { pivots: 3, cycles: 3, stepsPerCycle: 40, lr: 0.03, seed: 1 } as const;

/** The landscape plane: grid points per axis offered, the default, margin m and training images. */
export const PLANE_GRIDS = [11, 21, 31] as const;
export const PLANE_DEFAULTS = { grid: 21, margin: 0.2, samples: 2000 } as const;
