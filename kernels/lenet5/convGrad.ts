// Backward passes of the fused conv + ReLU + pool layers. Only the argmax position of each pooled
// window with a positive pre-activation gets a gradient, so each channel's gradient is a short
// list of (window offset, dy) entries: a quarter (or less) of a dense backward convolution.
import * as L from './layout';

function fma(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** conv2 gradients: dW, db into L.grads and dX (pool-1 output gradient) into L.dp1 (zeroed first). */
export function conv2Backward(): void {
  const B = L.B;
  memory.fill(L.dp1, 0, (B * L.P1_IMG + 16) << 2);
  const zero = f32x4.splat(0);
  for (let co = 0; co < 16; co++) {
    let n = 0;
    let db: f32 = 0;
    for (let b = 0; b < B; b++) {
      for (let q = 0; q < 25; q++) {
        const at = (b * 400 + q * 16 + co) << 2;
        const g = load<f32>(L.dflat + at);
        if (load<f32>(L.p2pre + at) > 0 && g != 0) {
          store<i32>(L.entA + (n << 2), b * L.P1_IMG + load<i32>(L.p2arg + at));
          store<f32>(L.entG + (n << 2), g);
          db += g;
          n++;
        }
      }
    }
    store<f32>(L.grads + ((L.C2B + co) << 2), db);
    for (let ky = 0; ky < 5; ky++) {
      // dW2[ky, ·, ·, co] (30 floats, kx-major then ci) = Σ dy · pool-1 row segment.
      let a0 = zero,
        a1 = zero,
        a2 = zero,
        a3 = zero,
        a4 = zero,
        a5 = zero,
        a6 = zero,
        a7 = zero;
      for (let e = 0; e < n; e++) {
        const s = v128.load32_splat(L.entG + (e << 2));
        const p = L.p1 + ((load<i32>(L.entA + (e << 2)) + ky * 84) << 2);
        a0 = fma(a0, s, v128.load(p));
        a1 = fma(a1, s, v128.load(p, 16));
        a2 = fma(a2, s, v128.load(p, 32));
        a3 = fma(a3, s, v128.load(p, 48));
        a4 = fma(a4, s, v128.load(p, 64));
        a5 = fma(a5, s, v128.load(p, 80));
        a6 = fma(a6, s, v128.load(p, 96));
        a7 = fma(a7, s, v128.load(p, 112));
      }
      const o = L.dw2t + (((co * 5 + ky) * 32) << 2);
      v128.store(o, a0);
      v128.store(o, a1, 16);
      v128.store(o, a2, 32);
      v128.store(o, a3, 48);
      v128.store(o, a4, 64);
      v128.store(o, a5, 80);
      v128.store(o, a6, 96);
      v128.store(o, a7, 112);
      // dX row segment += dy · W2[ky, ·, ·, co]; the two pad lanes of w2t are zero, so the
      // spill past the segment adds nothing.
      const wq = L.w2t + (((co * 5 + ky) * 32) << 2);
      const w0 = v128.load(wq),
        w1 = v128.load(wq, 16),
        w2 = v128.load(wq, 32),
        w3 = v128.load(wq, 48);
      const w4 = v128.load(wq, 64),
        w5 = v128.load(wq, 80),
        w6 = v128.load(wq, 96),
        w7 = v128.load(wq, 112);
      for (let e = 0; e < n; e++) {
        const s = v128.load32_splat(L.entG + (e << 2));
        const p = L.dp1 + ((load<i32>(L.entA + (e << 2)) + ky * 84) << 2);
        v128.store(p, fma(v128.load(p), s, w0));
        v128.store(p, fma(v128.load(p, 16), s, w1), 16);
        v128.store(p, fma(v128.load(p, 32), s, w2), 32);
        v128.store(p, fma(v128.load(p, 48), s, w3), 48);
        v128.store(p, fma(v128.load(p, 64), s, w4), 64);
        v128.store(p, fma(v128.load(p, 80), s, w5), 80);
        v128.store(p, fma(v128.load(p, 96), s, w6), 96);
        v128.store(p, fma(v128.load(p, 112), s, w7), 112);
      }
    }
  }
  // Back to the engine's HWIO layout.
  for (let co = 0; co < 16; co++)
    for (let ky = 0; ky < 5; ky++)
      for (let t = 0; t < 30; t++)
        store<f32>(
          L.grads + ((L.C2W + (ky * 30 + t) * 16 + co) << 2),
          load<f32>(L.dw2t + (((co * 5 + ky) * 32 + t) << 2)),
        );
}

/** conv1 gradients dW, db into L.grads (no input gradient: the data needs none). */
export function conv1Backward(): void {
  const B = L.B;
  const zero = f32x4.splat(0);
  for (let co = 0; co < 6; co++) {
    let n = 0;
    let db: f32 = 0;
    for (let b = 0; b < B; b++) {
      for (let py = 0; py < 14; py++) {
        const c = (b * L.P1C_IMG + (co * 14 + py) * 16) << 2;
        const d = L.dp1 + ((b * L.P1_IMG + py * 84 + co) << 2);
        for (let px = 0; px < 14; px++) {
          const g = load<f32>(d + px * 24);
          if (load<f32>(L.p1pre + c + (px << 2)) > 0 && g != 0) {
            store<i32>(L.entA + (n << 2), b * L.XP_IMG + load<i32>(L.p1arg + c + (px << 2)));
            store<f32>(L.entG + (n << 2), g);
            db += g;
            n++;
          }
        }
      }
    }
    store<f32>(L.grads + ((L.C1B + co) << 2), db);
    // dW1[ky, kx, 0, co] for kx 0..3 in the first vector of each row, kx 4 in lane 0 of the second.
    let r00 = zero,
      r01 = zero,
      r10 = zero,
      r11 = zero,
      r20 = zero,
      r21 = zero;
    let r30 = zero,
      r31 = zero,
      r40 = zero,
      r41 = zero;
    for (let e = 0; e < n; e++) {
      const s = v128.load32_splat(L.entG + (e << 2));
      const p = L.xp + (load<i32>(L.entA + (e << 2)) << 2);
      r00 = fma(r00, s, v128.load(p));
      r01 = fma(r01, s, v128.load(p, 16));
      r10 = fma(r10, s, v128.load(p, 160));
      r11 = fma(r11, s, v128.load(p, 176));
      r20 = fma(r20, s, v128.load(p, 320));
      r21 = fma(r21, s, v128.load(p, 336));
      r30 = fma(r30, s, v128.load(p, 480));
      r31 = fma(r31, s, v128.load(p, 496));
      r40 = fma(r40, s, v128.load(p, 640));
      r41 = fma(r41, s, v128.load(p, 656));
    }
    const o = L.dw1t;
    v128.store(o, r00);
    v128.store(o, r01, 16);
    v128.store(o, r10, 32);
    v128.store(o, r11, 48);
    v128.store(o, r20, 64);
    v128.store(o, r21, 80);
    v128.store(o, r30, 96);
    v128.store(o, r31, 112);
    v128.store(o, r40, 128);
    v128.store(o, r41, 144);
    for (let ky = 0; ky < 5; ky++)
      for (let kx = 0; kx < 5; kx++)
        store<f32>(L.grads + ((L.C1W + (ky * 5 + kx) * 6 + co) << 2), load<f32>(o + ((ky * 8 + kx) << 2)));
  }
}
