// Dense building blocks of the LeNet5 train step (AssemblyScript, WASM SIMD; see README.md here).
// All pointers are byte addresses in this module's memory; every N is a multiple of 4 floats.

/** out[r, n] = Σ_k a[r, k] · w[k, n] (+ bias[n]) (ReLU if asked). Rows go in pairs (the last
 *  odd row is paired with itself, writing the same value twice) so each weight load feeds 2 rows. */
export function gemmNN(
  a: usize,
  lda: i32,
  rows: i32,
  K: i32,
  w: usize,
  N: i32,
  bias: usize,
  relu: bool,
  out: usize,
  ldo: i32,
): void {
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r += 2) {
    const r1 = r + 1 < rows ? r + 1 : r;
    const a0 = a + ((r * lda) << 2);
    const a1 = a + ((r1 * lda) << 2);
    const o0 = out + ((r * ldo) << 2);
    const o1 = out + ((r1 * ldo) << 2);
    let n = 0;
    for (; n + 16 <= N; n += 16) {
      let c00 = zero,
        c01 = zero,
        c02 = zero,
        c03 = zero,
        c10 = zero,
        c11 = zero,
        c12 = zero,
        c13 = zero;
      let wp = w + (n << 2);
      for (let k = 0; k < K; k++) {
        const s0 = v128.load32_splat(a0 + (k << 2));
        const s1 = v128.load32_splat(a1 + (k << 2));
        const w0 = v128.load(wp),
          w1 = v128.load(wp, 16),
          w2 = v128.load(wp, 32),
          w3 = v128.load(wp, 48);
        c00 = f32x4.add(c00, f32x4.mul(s0, w0));
        c01 = f32x4.add(c01, f32x4.mul(s0, w1));
        c02 = f32x4.add(c02, f32x4.mul(s0, w2));
        c03 = f32x4.add(c03, f32x4.mul(s0, w3));
        c10 = f32x4.add(c10, f32x4.mul(s1, w0));
        c11 = f32x4.add(c11, f32x4.mul(s1, w1));
        c12 = f32x4.add(c12, f32x4.mul(s1, w2));
        c13 = f32x4.add(c13, f32x4.mul(s1, w3));
        wp += N << 2;
      }
      finish(c00, bias, n, relu, o0);
      finish(c01, bias, n + 4, relu, o0);
      finish(c02, bias, n + 8, relu, o0);
      finish(c03, bias, n + 12, relu, o0);
      finish(c10, bias, n, relu, o1);
      finish(c11, bias, n + 4, relu, o1);
      finish(c12, bias, n + 8, relu, o1);
      finish(c13, bias, n + 12, relu, o1);
    }
    for (; n < N; n += 4) {
      let c0 = zero,
        c1 = zero;
      let wp = w + (n << 2);
      for (let k = 0; k < K; k++) {
        const w0 = v128.load(wp);
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a0 + (k << 2)), w0));
        c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(a1 + (k << 2)), w0));
        wp += N << 2;
      }
      finish(c0, bias, n, relu, o0);
      finish(c1, bias, n, relu, o1);
    }
  }
}

function finish(c: v128, bias: usize, n: i32, relu: bool, o: usize): void {
  let v = bias ? f32x4.add(c, v128.load(bias + (n << 2))) : c;
  if (relu) v = f32x4.max(v, f32x4.splat(0));
  v128.store(o + (n << 2), v);
}

/** out[k, n] = Σ_r a[r, k] · d[r, n]: a weight gradient Aᵀ·D, two k rows at a time. */
export function gemmTN(a: usize, lda: i32, rows: i32, K: i32, d: usize, ldd: i32, N: i32, out: usize): void {
  const zero = f32x4.splat(0);
  for (let k = 0; k < K; k += 2) {
    const k1 = k + 1 < K ? k + 1 : k;
    const o0 = out + ((k * N) << 2);
    const o1 = out + ((k1 * N) << 2);
    let n = 0;
    for (; n + 16 <= N; n += 16) {
      let c00 = zero,
        c01 = zero,
        c02 = zero,
        c03 = zero,
        c10 = zero,
        c11 = zero,
        c12 = zero,
        c13 = zero;
      for (let r = 0; r < rows; r++) {
        const s0 = v128.load32_splat(a + ((r * lda + k) << 2));
        const s1 = v128.load32_splat(a + ((r * lda + k1) << 2));
        const dp = d + ((r * ldd + n) << 2);
        const d0 = v128.load(dp),
          d1 = v128.load(dp, 16),
          d2 = v128.load(dp, 32),
          d3 = v128.load(dp, 48);
        c00 = f32x4.add(c00, f32x4.mul(s0, d0));
        c01 = f32x4.add(c01, f32x4.mul(s0, d1));
        c02 = f32x4.add(c02, f32x4.mul(s0, d2));
        c03 = f32x4.add(c03, f32x4.mul(s0, d3));
        c10 = f32x4.add(c10, f32x4.mul(s1, d0));
        c11 = f32x4.add(c11, f32x4.mul(s1, d1));
        c12 = f32x4.add(c12, f32x4.mul(s1, d2));
        c13 = f32x4.add(c13, f32x4.mul(s1, d3));
      }
      const p0 = o0 + (n << 2);
      const p1 = o1 + (n << 2);
      v128.store(p0, c00);
      v128.store(p0, c01, 16);
      v128.store(p0, c02, 32);
      v128.store(p0, c03, 48);
      v128.store(p1, c10);
      v128.store(p1, c11, 16);
      v128.store(p1, c12, 32);
      v128.store(p1, c13, 48);
    }
    for (; n < N; n += 4) {
      let c0 = zero,
        c1 = zero;
      for (let r = 0; r < rows; r++) {
        const d0 = v128.load(d + ((r * ldd + n) << 2));
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a + ((r * lda + k) << 2)), d0));
        c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(a + ((r * lda + k1) << 2)), d0));
      }
      v128.store(o0 + (n << 2), c0);
      v128.store(o1 + (n << 2), c1);
    }
  }
}

/** out[n] = Σ_r d[r, n]: a bias gradient. */
export function colSum(d: usize, ldd: i32, rows: i32, N: i32, out: usize): void {
  for (let n = 0; n < N; n += 4) {
    let c = f32x4.splat(0);
    for (let r = 0; r < rows; r++) c = f32x4.add(c, v128.load(d + ((r * ldd + n) << 2)));
    v128.store(out + (n << 2), c);
  }
}

/** d[i] = 0 where ref[i] ≤ 0: the ReLU derivative applied to an incoming gradient. */
export function reluMask(d: usize, ref: usize, count: i32): void {
  const zero = f32x4.splat(0);
  for (let i = 0; i < count; i += 4) {
    const p = d + (i << 2);
    v128.store(p, v128.and(v128.load(p), f32x4.gt(v128.load(ref + (i << 2)), zero)));
  }
}

/** dst[n, k] = src[k, n] for n < Nsrc; dst has K columns. */
export function transpose(src: usize, K: i32, N: i32, dst: usize): void {
  for (let k = 0; k < K; k++)
    for (let n = 0; n < N; n++) store<f32>(dst + ((n * K + k) << 2), load<f32>(src + ((k * N + n) << 2)));
}
