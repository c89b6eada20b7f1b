import { IMAGE_SIDE } from './mnist';
import type { Rng } from '../random';

/** Light augmentation of the reference: random rotation ±maxDegrees, then random crop 28 with padding. */
export interface AugmentOptions {
  /** Largest rotation either way, degrees (reference: 5). */
  maxDegrees: number;
  /** Largest shift either way, pixels: a random 28-crop of the image zero-padded by this much (reference: 2). */
  maxShift: number;
}

export const REFERENCE_AUGMENT: AugmentOptions = { maxDegrees: 5, maxShift: 2 };

/**
 * Writes one augmented 28×28 image (grey levels, 0 outside the source) into `out`.
 * Rotation about the centre with bilinear sampling, then an integer shift; both as a
 * single inverse mapping so each output pixel is sampled once.
 */
export function augmentImage(src: Uint8Array, out: Float32Array, opts: AugmentOptions, rng: Rng): void {
  const angle = ((rng.uniform(-1, 1) * opts.maxDegrees) * Math.PI) / 180;
  const dx = rng.int(2 * opts.maxShift + 1) - opts.maxShift;
  const dy = rng.int(2 * opts.maxShift + 1) - opts.maxShift;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const c = (IMAGE_SIDE - 1) / 2;
  for (let y = 0; y < IMAGE_SIDE; y++) {
    for (let x = 0; x < IMAGE_SIDE; x++) {
      // Undo the shift, then the rotation.
      const ux = x - dx - c;
      const uy = y - dy - c;
      const sx = cos * ux + sin * uy + c;
      const sy = -sin * ux + cos * uy + c;
      out[y * IMAGE_SIDE + x] = bilinear(src, sx, sy);
    }
  }
}

function bilinear(src: Uint8Array, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const p = (xi: number, yi: number): number =>
    xi < 0 || yi < 0 || xi >= IMAGE_SIDE || yi >= IMAGE_SIDE ? 0 : src[yi * IMAGE_SIDE + xi];
  return (
    p(x0, y0) * (1 - fx) * (1 - fy) + p(x0 + 1, y0) * fx * (1 - fy) + p(x0, y0 + 1) * (1 - fx) * fy + p(x0 + 1, y0 + 1) * fx * fy
  );
}
