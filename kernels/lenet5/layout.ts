// Memory layout of the LeNet5 train step: byte addresses of every buffer for a batch of B images.

/** Parameter offsets in floats within the flat parameter (and gradient) block: the engine's
 *  layouts (conv HWIO, dense [in, out], fc1 inputs in H, W, C order) in state_dict order. */
export const C1W = 0;
export const C1B = 150;
export const C2W = 156;
export const C2B = 2556;
export const F1W = 2572;
export const F1B = 50572;
export const F2W = 50692;
export const F2B = 60772;
export const F3W = 60856;
export const F3B = 61696;
export const PARAM_COUNT = 61706;

/** Padded input: 32 rows × 40 columns per image (2 zero rows/columns before, more after for SIMD reads). */
export const XP_W = 40;
export const XP_IMG = 32 * XP_W;
/** Even and odd columns of the padded input, 32 rows × 20 per image (conv1 then pools with plain maxima). */
export const XD_W = 20;
export const XD_IMG = 32 * XD_W;
/** Pool-1 output, H, W, C = 14 × 14 × 6 per image. */
export const P1_IMG = 1176;
/** Pool-1 pre-activations and argmax channel-major: [6][14 rows][16 columns] per image. */
export const P1C_IMG = 6 * 14 * 16;

export let B: i32 = 0;
export let params: usize = 0;
export let grads: usize = 0;
export let xIn: usize = 0;
export let yIn: usize = 0;
export let out: usize = 0;
export let xp: usize = 0;
export let xe: usize = 0;
export let xo: usize = 0;
export let p1pre: usize = 0;
export let p1arg: usize = 0;
export let p1: usize = 0;
export let c2: usize = 0;
export let p2pre: usize = 0;
export let p2arg: usize = 0;
export let flat: usize = 0;
export let h1: usize = 0;
export let h2: usize = 0;
export let logits: usize = 0;
export let dlog: usize = 0;
export let dh2: usize = 0;
export let dh1: usize = 0;
export let dflat: usize = 0;
export let dp1: usize = 0;
export let w2t: usize = 0;
export let f1t: usize = 0;
export let f2t: usize = 0;
export let f3p: usize = 0;
export let b3p: usize = 0;
export let f3t: usize = 0;
export let dw2t: usize = 0;
export let dw1t: usize = 0;
export let dw3p: usize = 0;
export let entA: usize = 0;
export let entG: usize = 0;
export let tmp: usize = 0;

let top: usize = 0;
/** Reserves `floats` floats (plus 16 of slack for SIMD reads past the end), 64-byte aligned. */
function take(floats: i32): usize {
  const p = top;
  top = (top + ((floats + 16) << 2) + 63) & ~63;
  return p;
}

/** Lays out every buffer for a batch of `batch` images, growing memory if needed. */
export function layout(batch: i32): void {
  B = batch;
  top = (__heap_base + 63) & ~63;
  params = take(PARAM_COUNT);
  grads = take(PARAM_COUNT);
  xIn = take(batch * 784);
  yIn = take(batch * 10);
  out = take(4);
  xp = take(batch * XP_IMG);
  xe = take(batch * XD_IMG);
  xo = take(batch * XD_IMG);
  p1pre = take(batch * P1C_IMG);
  p1arg = take(batch * P1C_IMG);
  p1 = take(batch * P1_IMG);
  c2 = take(100 * 16);
  p2pre = take(batch * 400);
  p2arg = take(batch * 400);
  flat = take(batch * 400);
  h1 = take(batch * 120);
  h2 = take(batch * 84);
  logits = take(batch * 12);
  dlog = take(batch * 12);
  dh2 = take(batch * 84);
  dh1 = take(batch * 120);
  dflat = take(batch * 400);
  dp1 = take(batch * P1_IMG);
  w2t = take(16 * 5 * 32);
  f1t = take(120 * 400);
  f2t = take(84 * 120);
  f3p = take(84 * 12);
  b3p = take(12);
  f3t = take(10 * 84);
  dw2t = take(16 * 5 * 32);
  dw1t = take(6 * 5 * 8);
  dw3p = take(84 * 12);
  entA = take(batch * 400);
  entG = take(batch * 400);
  tmp = take(64);
  const pages = <i32>((top + 0xffff) >>> 16);
  const have = memory.size();
  if (pages > have) memory.grow(pages - have);
}
