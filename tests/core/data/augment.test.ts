import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  augmentImage,
  cropPadded,
  drawAugment,
  REFERENCE_AUGMENT,
  rotateNearest,
} from '../../../src/core/data/augment';
import { createRng } from '../../../src/core/random';
import { mnist } from '../../helpers';

interface PilFixture {
  pillow: string;
  images: string[];
  cases: Array<{ image: number; degrees: number; out: string }>;
}
const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures/pil-rotate.json'), 'utf8')) as PilFixture;
/** (x, y, value) of every non-zero pixel. */
const lit = (img: ArrayLike<number>) => Array.from(img).flatMap((v, i) => (v ? [[i % 28, Math.floor(i / 28), v]] : []));

describe('rotateNearest (RandomRotation(5, fill=0) = Pillow Image.rotate, NEAREST, about the centre)', () => {
  it('hand-computed: +5° takes the pixel at (x 27, y 15) to (27, 14), −5° to (27, 16)', () => {
    // Output (27, 14) samples its centre (27.5, 14.5) rotated about (14, 14): offset (13.5, 0.5) →
    // (13.5 cos 5° − 0.5 sin 5°, 13.5 sin 5° + 0.5 cos 5°) + 14 = (27.41, 15.67) → source cell (27, 15).
    const src = new Uint8Array(784);
    src[15 * 28 + 27] = 255;
    const out = new Uint8Array(784);
    rotateNearest(src, out, 5);
    expect(lit(out)).toEqual([[27, 14, 255]]); // counter-clockwise as displayed (y down)
    rotateNearest(src, out, -5);
    expect(lit(out)).toEqual([[27, 16, 255]]);
    // The centre (14, 14) is the corner between pixels 13 and 14: a small turn keeps both in place.
    const centre = new Uint8Array(784);
    centre[14 * 28 + 14] = 200;
    centre[13 * 28 + 13] = 100;
    rotateNearest(centre, out, 3);
    expect(lit(out)).toEqual([
      [13, 13, 100],
      [14, 14, 200],
    ]);
  });

  it(`matches Pillow ${fixture.pillow} bit for bit on a digit and on noise, angles in [−5, 5]`, () => {
    const out = new Uint8Array(784);
    for (const c of fixture.cases) {
      rotateNearest(bytes(fixture.images[c.image]), out, c.degrees);
      expect(Array.from(out), `image ${c.image}, ${c.degrees}°`).toEqual(Array.from(bytes(c.out)));
    }
    expect(fixture.cases.length).toBeGreaterThan(30);
  });

  it('0° is the identity', () => {
    const img = mnist().train.images.subarray(0, 784);
    const out = new Uint8Array(784);
    rotateNearest(img, out, 0);
    expect(out).toEqual(img);
  });
});

describe('cropPadded (RandomCrop(28, padding=2))', () => {
  const img = Uint8Array.from({ length: 784 }, (_, i) => 1 + (i % 250));
  it('offset (2, 2) is the identity; (0, 0) shifts the image down-right by 2 with zeros in front', () => {
    const out = new Uint8Array(784);
    cropPadded(img, out, 2, 2, 2);
    expect(out).toEqual(img);
    cropPadded(img, out, 2, 0, 0);
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        expect(out[y * 28 + x]).toBe(y < 2 || x < 2 ? 0 : img[(y - 2) * 28 + (x - 2)]);
      }
    }
  });
  it('offset (top 4, left 1): out[y][x] = img[y + 2][x − 1], zero outside', () => {
    const out = new Uint8Array(784);
    cropPadded(img, out, 2, 4, 1);
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const sy = y + 2;
        const sx = x - 1;
        expect(out[y * 28 + x]).toBe(sy < 28 && sx >= 0 ? img[sy * 28 + sx] : 0);
      }
    }
  });
});

describe('drawAugment and augmentImage', () => {
  it('draws angles uniform in [−5, 5] and crop offsets uniform in 0..4 on each axis', () => {
    const rng = createRng(3);
    const tops = new Array(5).fill(0);
    const lefts = new Array(5).fill(0);
    let lo = 0;
    let hi = 0;
    let sum = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const d = drawAugment(REFERENCE_AUGMENT, rng);
      expect(Math.abs(d.degrees)).toBeLessThanOrEqual(5);
      lo = Math.min(lo, d.degrees);
      hi = Math.max(hi, d.degrees);
      sum += d.degrees;
      tops[d.top]++;
      lefts[d.left]++;
    }
    expect(lo).toBeLessThan(-4.99);
    expect(hi).toBeGreaterThan(4.99);
    expect(Math.abs(sum / n)).toBeLessThan(0.06);
    for (const counts of [tops, lefts]) {
      expect(counts.length).toBe(5);
      for (const c of counts) expect(Math.abs(c / n - 0.2)).toBeLessThan(0.015);
    }
  });

  it('is the rotation of its draw, then the crop of its draw (grey levels, before normalisation)', () => {
    const img = mnist().train.images.subarray(784 * 3, 784 * 4);
    const out = new Float32Array(784);
    const draw = augmentImage(img, out, REFERENCE_AUGMENT, createRng(9));
    expect(draw).toEqual(drawAugment(REFERENCE_AUGMENT, createRng(9)));
    const rotated = new Uint8Array(784);
    const expected = new Uint8Array(784);
    rotateNearest(img, rotated, draw.degrees);
    cropPadded(rotated, expected, 2, draw.top, draw.left);
    expect(Array.from(out)).toEqual(Array.from(expected));
  });

  it('with zero rotation and shift is the identity', () => {
    const img = mnist().train.images.subarray(0, 784);
    const out = new Float32Array(784);
    augmentImage(img, out, { maxDegrees: 0, maxShift: 0 }, createRng(1));
    expect(Array.from(out)).toEqual(Array.from(img));
  });
});
