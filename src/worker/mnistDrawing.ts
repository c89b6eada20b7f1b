/**
 * A hand drawing made into an MNIST-style digit (issue #13, the scrubber's canvas), as MNIST's own
 * images were made (LeCun et al. 1998): the digit's bounding box scaled, keeping its aspect ratio,
 * to fit a 20×20 box (grey levels by area averaging), then placed in the 28×28 image so that its
 * centre of mass is at the image's centre. No TF.js and no DOM: the UI and the tests use it.
 */

/** MNIST's image side, the side of the box the digit is fitted into, and the ink threshold. */
const SIDE = 28;
const BOX = 20;
const INK = 0.05;

/** Bounding box of the pixels with ink, or null when there is none. */
function inkBox(ink: ArrayLike<number>, width: number, height: number) {
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (ink[y * width + x] > INK) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  return x1 < 0 ? null : { x0, y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/**
 * The drawing (`width`×`height` ink levels in [0, 1], row-major, 1 = ink) as a 28×28 image of grey
 * levels in [0, 1] (white ink on black, like MNIST), or null when nothing is drawn.
 */
export function mnistFromDrawing(ink: ArrayLike<number>, width: number, height: number): Float32Array | null {
  const box = inkBox(ink, width, height);
  if (!box) return null;
  const scale = BOX / Math.max(box.w, box.h);
  const tw = Math.max(1, Math.round(box.w * scale));
  const th = Math.max(1, Math.round(box.h * scale));
  // Each target pixel averages the source pixels it covers (at least one: small drawings are enlarged).
  const fitted = new Float64Array(tw * th);
  const span = (t: number, origin: number, len: number) => {
    const lo = Math.min(origin + len - 1, origin + Math.floor(t / scale));
    return [lo, Math.max(lo + 1, Math.min(origin + len, origin + Math.ceil((t + 1) / scale)))];
  };
  for (let ty = 0; ty < th; ty++) {
    const [ya, yb] = span(ty, box.y0, box.h);
    for (let tx = 0; tx < tw; tx++) {
      const [xa, xb] = span(tx, box.x0, box.w);
      let sum = 0;
      for (let y = ya; y < yb; y++) for (let x = xa; x < xb; x++) sum += ink[y * width + x];
      fitted[ty * tw + tx] = sum / ((yb - ya) * (xb - xa));
    }
  }
  // Centre of mass (pixel centres at i + ½), moved to the image's centre (14, 14).
  let [mass, mx, my] = [0, 0, 0];
  for (let ty = 0; ty < th; ty++)
    for (let tx = 0; tx < tw; tx++) {
      const v = fitted[ty * tw + tx];
      mass += v;
      mx += v * (tx + 0.5);
      my += v * (ty + 0.5);
    }
  const ox = Math.round(SIDE / 2 - mx / mass);
  const oy = Math.round(SIDE / 2 - my / mass);
  const out = new Float32Array(SIDE * SIDE);
  for (let ty = 0; ty < th; ty++)
    for (let tx = 0; tx < tw; tx++) {
      const [x, y] = [tx + ox, ty + oy];
      if (x >= 0 && x < SIDE && y >= 0 && y < SIDE) out[y * SIDE + x] = Math.min(1, Math.max(0, fitted[ty * tw + tx]));
    }
  return out;
}

/** Centre of mass (x, y) of a 28×28 image, pixel centres at i + ½ (for tests and the preview). */
export function centreOfMass(image: ArrayLike<number>): [number, number] {
  let [mass, mx, my] = [0, 0, 0];
  for (let i = 0; i < SIDE * SIDE; i++) {
    mass += image[i];
    mx += image[i] * ((i % SIDE) + 0.5);
    my += image[i] * (Math.floor(i / SIDE) + 0.5);
  }
  return [mx / mass, my / mass];
}
