import type { PcaView } from '../../core/analysis/pcaTracker';

/** Points a second principal component needs: with two, every point lies on the line through them. */
export const MIN_POINTS_FOR_PC2 = 3;
/** A second component explaining less than this fraction of the variance is rounding noise (×10⁻¹⁹ axes). */
export const NOISE_FRACTION = 1e-6;

/** Whether a PCA view's second component means something: three points or more, and more than rounding noise. */
export function hasSecondComponent(v: Pick<PcaView, 'ticks' | 'explained'> | undefined): boolean {
  return !!v && v.ticks.length >= MIN_POINTS_FOR_PC2 && (v.explained[1] ?? 0) > NOISE_FRACTION;
}
