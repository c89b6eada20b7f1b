import { IMAGE_SIDE } from './mnist';
import type { Rng } from '../random';

/**
 * The reference's training augmentation (SPEC §2; `py_src/ml_setup_base/dataset.py`):
 * `RandomRotation(5, fill=0)` with nearest-neighbour sampling, then `RandomCrop(28, padding=2)`.
 * torchvision hands PIL images to PIL, so the rotation reproduced here is Pillow's `Image.rotate`.
 */
export interface AugmentOptions {
  /** Largest rotation either way, degrees: the angle is uniform in [−maxDegrees, maxDegrees] (reference: 5). */
  maxDegrees: number;
  /** Zero padding of the RandomCrop, pixels: a 28-crop at offsets 0..2·maxShift of the padded image (reference: 2). */
  maxShift: number;
}

export const REFERENCE_AUGMENT: AugmentOptions = { maxDegrees: 5, maxShift: 2 };

/** One draw of the random transform: what `RandomRotation` and `RandomCrop` pick for an image. */
export interface AugmentDraw {
  /** Rotation, degrees, counter-clockwise as displayed (PIL's sign). */
  degrees: number;
  /** Row of the crop's top-left corner in the padded image (torchvision's `i`), 0..2·maxShift. */
  top: number;
  /** Column of the crop's top-left corner in the padded image (torchvision's `j`), 0..2·maxShift. */
  left: number;
}

/** Draws the angle, then the crop's row, then its column (torchvision's order: rotation, then `get_params` i, j). */
export function drawAugment(opts: AugmentOptions, rng: Rng): AugmentDraw {
  const degrees = rng.uniform(-opts.maxDegrees, opts.maxDegrees);
  const top = rng.int(2 * opts.maxShift + 1);
  const left = rng.int(2 * opts.maxShift + 1);
  return { degrees, top, left };
}

/** Python's `round(v, 15)`: the decimal rounding Pillow applies to the rotation matrix. */
const round15 = (v: number): number => Number(v.toFixed(15));
/** Pillow's FIX: 16.16 fixed point, FLOOR(v·65536 + 0.5). */
const fix = (v: number): number => Math.floor(v * 65536 + 0.5);

/**
 * Pillow's `Image.rotate(degrees, NEAREST, expand=False, center=None, fillcolor=0)` of a square
 * grey image, bit for bit: the matrix of `Image.rotate` (centre (w/2, h/2), entries rounded to
 * 15 decimals), then `affine_fixed` in libImaging/Geometry.c, which samples each output pixel
 * centre (x + ½, y + ½) in 16.16 fixed point and takes the source pixel whose cell holds it.
 * Positive angles turn the digit counter-clockwise as displayed; outside the source is 0.
 */
export function rotateNearest(
  src: ArrayLike<number>,
  out: Uint8Array | Float32Array,
  degrees: number,
  side = IMAGE_SIDE,
): void {
  // Image.rotate: angle % 360 (Python's modulo keeps the sign of 360), then −radians.
  let mod = degrees % 360;
  if (mod < 0) mod += 360;
  const angle = -(mod * (Math.PI / 180));
  const a = [
    round15(Math.cos(angle)),
    round15(Math.sin(angle)),
    0,
    round15(-Math.sin(angle)),
    round15(Math.cos(angle)),
    0,
  ];
  const centre = side / 2;
  a[2] = a[0] * -centre + a[1] * -centre + a[2] + centre;
  a[5] = a[3] * -centre + a[4] * -centre + a[5] + centre;
  // affine_fixed: the offsets include the half-pixel step to the first pixel centre.
  const a0 = fix(a[0]);
  const a1 = fix(a[1]);
  const a3 = fix(a[3]);
  const a4 = fix(a[4]);
  let rowX = fix(a[2] + a[0] * 0.5 + a[1] * 0.5);
  let rowY = fix(a[5] + a[3] * 0.5 + a[4] * 0.5);
  for (let y = 0; y < side; y++) {
    let xx = rowX;
    let yy = rowY;
    for (let x = 0; x < side; x++) {
      const xin = xx >> 16; // arithmetic shift: floor, as in C
      const yin = yy >> 16;
      out[y * side + x] = xin >= 0 && xin < side && yin >= 0 && yin < side ? src[yin * side + xin] : 0;
      xx += a0;
      yy += a3;
    }
    rowX += a1;
    rowY += a4;
  }
}

/**
 * torchvision's `RandomCrop(side, padding)` for a given draw: pad with zeros by `padding` on every
 * side, then take the side×side window whose top-left corner is (top, left) in the padded image.
 */
export function cropPadded(
  src: ArrayLike<number>,
  out: Uint8Array | Float32Array,
  padding: number,
  top: number,
  left: number,
  side = IMAGE_SIDE,
): void {
  for (let y = 0; y < side; y++) {
    const sy = y + top - padding;
    for (let x = 0; x < side; x++) {
      const sx = x + left - padding;
      out[y * side + x] = sy >= 0 && sy < side && sx >= 0 && sx < side ? src[sy * side + sx] : 0;
    }
  }
}

const rotated = new Uint8Array(IMAGE_SIDE * IMAGE_SIDE);

/**
 * Writes one augmented 28×28 image (grey levels 0..255) into `out`: a fresh draw from `rng`,
 * the nearest-neighbour rotation, then the padded crop — the reference's pipeline before `Normalize`.
 * Returns the draw.
 */
export function augmentImage(src: Uint8Array, out: Float32Array, opts: AugmentOptions, rng: Rng): AugmentDraw {
  const draw = drawAugment(opts, rng);
  rotateNearest(src, rotated, draw.degrees);
  cropPadded(rotated, out, opts.maxShift, draw.top, draw.left);
  return draw;
}
