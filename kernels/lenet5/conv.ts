// Convolutions of the LeNet5 train step, each fused with its ReLU and 2×2 max-pool (SPEC §2).
// max(relu(a + b)) = relu(max(a) + b), so each layer keeps only the pooled pre-activation and the
// argmax of each window; the backward pass then touches one input window per pooled output.
import * as L from './layout';

function fma(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** conv1 (1→6, 5×5, pad 2) + ReLU + pool for image b. Lanes hold 4 pooled columns; the even and
 *  odd conv columns come from the de-interleaved input, so pooling is an element-wise maximum. */
export function conv1Forward(b: i32): void {
  const xe = L.xe + ((b * L.XD_IMG) << 2);
  const xo = L.xo + ((b * L.XD_IMG) << 2);
  const w = L.params + (L.C1W << 2);
  const zero = f32x4.splat(0);
  for (let py = 0; py < 14; py++) {
    for (let jg = 0; jg < 4; jg++) {
      for (let co = 0; co < 6; co += 2) {
        // a: channel co, c: channel co+1; index = (conv row 0/1)(column parity 0/1).
        let a00 = zero,
          a01 = zero,
          a10 = zero,
          a11 = zero;
        let c00 = zero,
          c01 = zero,
          c10 = zero,
          c11 = zero;
        for (let ky = 0; ky < 5; ky++) {
          const off = ((2 * py + ky) * L.XD_W + 4 * jg) << 2;
          const e0 = xe + off,
            o0 = xo + off,
            e1 = e0 + (L.XD_W << 2),
            o1 = o0 + (L.XD_W << 2);
          const wk = w + ((ky * 30 + co) << 2);
          for (let t = 0; t < 3; t++) {
            // kx = 2t: the even conv column reads even input columns, the odd one odd columns.
            const wa = v128.load32_splat(wk + t * 48),
              wc = v128.load32_splat(wk + t * 48, 4);
            const u0 = v128.load(e0 + (t << 2)),
              u1 = v128.load(o0 + (t << 2));
            const v0 = v128.load(e1 + (t << 2)),
              v1 = v128.load(o1 + (t << 2));
            a00 = fma(a00, wa, u0);
            a01 = fma(a01, wa, u1);
            a10 = fma(a10, wa, v0);
            a11 = fma(a11, wa, v1);
            c00 = fma(c00, wc, u0);
            c01 = fma(c01, wc, u1);
            c10 = fma(c10, wc, v0);
            c11 = fma(c11, wc, v1);
          }
          for (let t = 0; t < 2; t++) {
            // kx = 2t + 1: the even conv column reads odd input columns, the odd one even columns.
            const wa = v128.load32_splat(wk + t * 48, 24),
              wc = v128.load32_splat(wk + t * 48, 28);
            const u0 = v128.load(o0 + (t << 2)),
              u1 = v128.load(e0 + ((t + 1) << 2));
            const v0 = v128.load(o1 + (t << 2)),
              v1 = v128.load(e1 + ((t + 1) << 2));
            a00 = fma(a00, wa, u0);
            a01 = fma(a01, wa, u1);
            a10 = fma(a10, wa, v0);
            a11 = fma(a11, wa, v1);
            c00 = fma(c00, wc, u0);
            c01 = fma(c01, wc, u1);
            c10 = fma(c10, wc, v0);
            c11 = fma(c11, wc, v1);
          }
        }
        pool1Store(b, co, py, jg, a00, a01, a10, a11);
        pool1Store(b, co + 1, py, jg, c00, c01, c10, c11);
      }
    }
  }
}

/** Max and first argmax of a window (row-major order, as TF.js and PyTorch), bias, ReLU, stores. */
function pool1Store(b: i32, co: i32, py: i32, jg: i32, v00: v128, v01: v128, v10: v128, v11: v128): void {
  // Argmax as the padded-input offset of the conv window's top-left corner.
  const base = i32x4.add(i32x4.splat(2 * py * L.XP_W + 8 * jg), i32x4(0, 2, 4, 6));
  let m = v00;
  let i = base;
  let g = f32x4.gt(v01, m);
  m = v128.bitselect(v01, m, g);
  i = v128.bitselect(i32x4.add(base, i32x4.splat(1)), i, g);
  g = f32x4.gt(v10, m);
  m = v128.bitselect(v10, m, g);
  i = v128.bitselect(i32x4.add(base, i32x4.splat(L.XP_W)), i, g);
  g = f32x4.gt(v11, m);
  m = v128.bitselect(v11, m, g);
  i = v128.bitselect(i32x4.add(base, i32x4.splat(L.XP_W + 1)), i, g);
  const pre = f32x4.add(m, v128.load32_splat(L.params + ((L.C1B + co) << 2)));
  const at = (b * L.P1C_IMG + (co * 14 + py) * 16 + 4 * jg) << 2;
  v128.store(L.p1pre + at, pre);
  v128.store(L.p1arg + at, i);
  v128.store(L.tmp, f32x4.max(pre, f32x4.splat(0)));
  const dst = L.p1 + ((b * L.P1_IMG + (py * 14 + 4 * jg) * 6 + co) << 2);
  const lanes = jg < 3 ? 4 : 2;
  for (let l = 0; l < lanes; l++) store<f32>(dst + l * 24, load<f32>(L.tmp + (l << 2)));
}

/** conv2 (6→16, 5×5) + ReLU + pool for image b: two output positions × 16 channels per tile. */
export function conv2Forward(b: i32): void {
  const src = L.p1 + ((b * L.P1_IMG) << 2);
  const w = L.params + (L.C2W << 2);
  const zero = f32x4.splat(0);
  for (let y = 0; y < 10; y++) {
    for (let x = 0; x < 10; x += 2) {
      let a0 = zero,
        a1 = zero,
        a2 = zero,
        a3 = zero,
        c0 = zero,
        c1 = zero,
        c2 = zero,
        c3 = zero;
      for (let ky = 0; ky < 5; ky++) {
        const in0 = src + ((((y + ky) * 14 + x) * 6) << 2);
        let wp = w + ((ky * 30 * 16) << 2);
        for (let t = 0; t < 30; t++) {
          const s0 = v128.load32_splat(in0 + (t << 2)),
            s1 = v128.load32_splat(in0 + (t << 2), 24);
          const w0 = v128.load(wp),
            w1 = v128.load(wp, 16),
            w2 = v128.load(wp, 32),
            w3 = v128.load(wp, 48);
          a0 = fma(a0, s0, w0);
          a1 = fma(a1, s0, w1);
          a2 = fma(a2, s0, w2);
          a3 = fma(a3, s0, w3);
          c0 = fma(c0, s1, w0);
          c1 = fma(c1, s1, w1);
          c2 = fma(c2, s1, w2);
          c3 = fma(c3, s1, w3);
          wp += 64;
        }
      }
      const o = L.c2 + (((y * 10 + x) * 16) << 2);
      v128.store(o, a0);
      v128.store(o, a1, 16);
      v128.store(o, a2, 32);
      v128.store(o, a3, 48);
      v128.store(o, c0, 64);
      v128.store(o, c1, 80);
      v128.store(o, c2, 96);
      v128.store(o, c3, 112);
    }
  }
  for (let py = 0; py < 5; py++) {
    for (let px = 0; px < 5; px++) {
      const p = L.c2 + (((2 * py * 10 + 2 * px) * 16) << 2);
      // Argmax as the pool-1 offset (floats, within the image) of the conv2 window's corner.
      const i00 = (2 * py * 14 + 2 * px) * 6;
      const at = (b * 400 + (py * 5 + px) * 16) << 2;
      for (let v = 0; v < 4; v++) {
        const q = p + (v << 4);
        let m = v128.load(q);
        let i = i32x4.splat(i00);
        const v01 = v128.load(q, 64),
          v10 = v128.load(q, 640),
          v11 = v128.load(q, 704);
        let g = f32x4.gt(v01, m);
        m = v128.bitselect(v01, m, g);
        i = v128.bitselect(i32x4.splat(i00 + 6), i, g);
        g = f32x4.gt(v10, m);
        m = v128.bitselect(v10, m, g);
        i = v128.bitselect(i32x4.splat(i00 + 84), i, g);
        g = f32x4.gt(v11, m);
        m = v128.bitselect(v11, m, g);
        i = v128.bitselect(i32x4.splat(i00 + 90), i, g);
        const pre = f32x4.add(m, v128.load(L.params + ((L.C2B + 4 * v) << 2)));
        v128.store(L.p2pre + at + (v << 4), pre);
        v128.store(L.p2arg + at + (v << 4), i);
        v128.store(L.flat + at + (v << 4), f32x4.max(pre, zero));
      }
    }
  }
}
