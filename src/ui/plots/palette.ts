import type { Theme } from '../theme';
import { VIRIDIS, colourAt, rgb } from './chart/heatmap';

/**
 * One colour per LeNet5 layer group, the same in every panel (distance, variance, PCA titles); the
 * Okabe–Ito colour-blind-safe set, readable on the light and the dark background alike.
 */
export const LAYER_COLORS: Readonly<Record<string, string>> = {
  conv1: '#0072b2',
  conv2: '#e69f00',
  fc1: '#009e73',
  fc2: '#cc79a7',
  fc3: '#d55e00',
};

/** The layer groups in network order. */
export const LAYER_GROUPS: readonly string[] = Object.keys(LAYER_COLORS);

/** The colour of a layer group, or of the group a tensor (`fc1.weight`) belongs to; grey when unknown. */
export function layerColor(nameOrTensor: string): string {
  return LAYER_COLORS[nameOrTensor.split('.')[0]] ?? '#888888';
}

/** Metrics that are not layers get colours no layer uses, so a colour never means two things. */
export const METRIC_COLORS = {
  /** Training loss (the tick's mini-batches). */
  trainLoss: '#7b61ff',
  /** Test loss. */
  testLoss: '#56b4e9',
  /** Test accuracy. */
  testAccuracy: '#2a9d5c',
} as const;

/** "Colour = tick" (early → late): viridis, and on the dark theme a scale that starts lighter so early points show. */
const TICK_STOPS: Readonly<Record<Theme, ReadonlyArray<readonly [number, number, number]>>> = {
  light: VIRIDIS,
  dark: [
    [111, 140, 255],
    [53, 194, 160],
    [253, 231, 37],
  ],
};

/** The colour of a point at u ∈ [0, 1] from the first tick to the last. */
export function tickColour(theme: Theme, u: number): string {
  return rgb(colourAt(u, TICK_STOPS[theme]));
}
