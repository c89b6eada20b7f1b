import { layoutWgsl, PACK, WS } from './layout';
import { elementwiseProgram, workgroupProgram, type WebGpuProgram } from './program';

// The per-image part of the fused LeNet5 step (issue #10): forward, softmax cross-entropy and the
// backward pass down to conv1's pre-activation, all in ONE dispatch with one workgroup per image.
// Every layer of LeNet5 (SPEC §2) is local to its image, so the phases are separated by
// workgroup-scope storage barriers instead of separate dispatches. The batch-wide reductions (weight
// gradients, loss) run afterwards in updates.ts and loss.ts. Loops port kernels/lenet5/*.ts.

/**
 * Packs the conv weights and all biases into one buffer (PACK offsets): a WebGPU shader stage may
 * bind only 8 storage buffers by default, and the per-image program needs x, y and fc1..3 weights too.
 * Inputs: c1w, c1b, c2w, c2b, f1b, f2b, f3b.
 */
export function packProgram(): WebGpuProgram {
  const code = `
${layoutWgsl()}
fn main(index : i32) {
  let i = index;
  if (i >= uniforms.size) { return; }
  var v = 0.0;
  if (i < PK_C1B) { v = f32(c1w[i]); }
  else if (i < PK_C2W) { v = f32(c1b[i - PK_C1B]); }
  else if (i < PK_C2B) { v = f32(c2w[i - PK_C2W]); }
  else if (i < PK_F1B) { v = f32(c2b[i - PK_C2B]); }
  else if (i < PK_F2B) { v = f32(f1b[i - PK_F1B]); }
  else if (i < PK_F3B) { v = f32(f2b[i - PK_F2B]); }
  else { v = f32(f3b[i - PK_F3B]); }
  result[i] = v;
}`;
  return elementwiseProgram('lenet5PackSmall', [PACK.SIZE], ['c1w', 'c1b', 'c2w', 'c2b', 'f1b', 'f2b', 'f3b'], code);
}

/** Threads per image in the forward/backward program. */
const T = 256;

/**
 * Forward + loss + backward of every image of a batch into the workspace (WS layout, batch × WS.IMAGE).
 * Inputs: x (batch × 28 × 28 × 1), y (one-hot or soft labels, batch × 10), packed (packProgram),
 * fc1w [400, 120], fc2w [120, 84], fc3w [84, 10]. Uniform `batch`: images (dLoss/dlogits is the
 * gradient of the batch mean).
 */
export function forwardBackwardProgram(batch: number): WebGpuProgram {
  const code = `
${layoutWgsl()}
const T = ${T};
var<workgroup> logit : array<f32, 10>;
// The padded image (32 × 32) during conv1; later conv2's output gradient (10 × 10 × 16).
var<workgroup> scratch : array<f32, 1600>;
var<workgroup> p1s : array<f32, 1176>;

fn relu(v : f32) -> f32 { return max(v, 0.0); }
fn sync() { storageBarrier(); workgroupBarrier(); }

fn main(index : i32) {
  let b = i32(workgroupId.x);
  let t = i32(localId.x);
  let o = b * WS_IMAGE;
  let xo = b * 784;

  // The image, zero-padded to 32 × 32, in workgroup memory: conv1 then reads without bounds checks.
  for (var i = t; i < 1024; i += T) {
    let iy = i / 32 - 2;
    let ix = i % 32 - 2;
    var v = 0.0;
    if (iy >= 0 && iy < 28 && ix >= 0 && ix < 28) { v = f32(x[xo + iy * 28 + ix]); }
    scratch[i] = v;
  }
  workgroupBarrier();

  // conv1 (1→6, 5×5, pad 2) + bias + ReLU + 2×2 max-pool: max(relu(a + c)) = relu(max(a) + c), so
  // keep the pre-activation at the argmax (first maximum in row-major order, as TF.js and PyTorch).
  for (var i = t; i < 1176; i += T) {
    let co = i % 6;
    let px = (i / 6) % 14;
    let py = i / 84;
    var best = 0.0;
    var arg = 0;
    for (var a = 0; a < 4; a++) {
      let at = (2 * py + a / 2) * 32 + 2 * px + a % 2;
      var acc = 0.0;
      for (var ky = 0; ky < 5; ky++) {
        for (var kx = 0; kx < 5; kx++) { acc += scratch[at + ky * 32 + kx] * packed[PK_C1W + (ky * 5 + kx) * 6 + co]; }
      }
      if (a == 0 || acc > best) { best = acc; arg = a; }
    }
    let pre = best + packed[PK_C1B + co];
    result[o + WS_P1PRE + i] = pre;
    result[o + WS_P1ARG + i] = f32(arg);
    p1s[i] = max(pre, 0.0);
  }
  workgroupBarrier();

  // conv2 (6→16, 5×5, valid) on relu(pool-1) + bias + ReLU + pool.
  for (var i = t; i < 400; i += T) {
    let co = i % 16;
    let px = (i / 16) % 5;
    let py = i / 80;
    var best = 0.0;
    var arg = 0;
    for (var a = 0; a < 4; a++) {
      let oy = 2 * py + a / 2;
      let ox = 2 * px + a % 2;
      var acc = 0.0;
      for (var ky = 0; ky < 5; ky++) {
        for (var kx = 0; kx < 5; kx++) {
          let src = ((oy + ky) * 14 + ox + kx) * 6;
          let w = PK_C2W + (ky * 5 + kx) * 96 + co;
          for (var ci = 0; ci < 6; ci++) { acc += p1s[src + ci] * packed[w + ci * 16]; }
        }
      }
      if (a == 0 || acc > best) { best = acc; arg = a; }
    }
    result[o + WS_P2PRE + i] = best + packed[PK_C2B + co];
    result[o + WS_P2ARG + i] = f32(arg);
  }
  sync();

  // fc1 400→120 + ReLU (input: relu of pool-2, H·W·C order).
  for (var j = t; j < 120; j += T) {
    var acc = packed[PK_F1B + j];
    for (var k = 0; k < 400; k++) { acc += relu(result[o + WS_P2PRE + k]) * f32(fc1w[k * 120 + j]); }
    result[o + WS_H1 + j] = relu(acc);
  }
  sync();
  // fc2 120→84 + ReLU.
  for (var j = t; j < 84; j += T) {
    var acc = packed[PK_F2B + j];
    for (var k = 0; k < 120; k++) { acc += result[o + WS_H1 + k] * f32(fc2w[k * 84 + j]); }
    result[o + WS_H2 + j] = relu(acc);
  }
  sync();
  // fc3 84→10: logits.
  if (t < 10) {
    var acc = packed[PK_F3B + t];
    for (var k = 0; k < 84; k++) { acc += result[o + WS_H2 + k] * f32(fc3w[k * 10 + t]); }
    logit[t] = acc;
  }
  sync();

  // Softmax cross-entropy −Σ y·log softmax(z), its gradient (softmax·Σy − y)/batch, and the hit.
  if (t == 0) {
    var m = logit[0];
    var am = 0;
    var ym = f32(y[b * 10]);
    var ay = 0;
    var sy = 0.0;
    for (var k = 0; k < 10; k++) {
      let yk = f32(y[b * 10 + k]);
      sy += yk;
      if (logit[k] > m) { m = logit[k]; am = k; }
      if (yk > ym) { ym = yk; ay = k; }
    }
    var s = 0.0;
    for (var k = 0; k < 10; k++) { s += exp(logit[k] - m); }
    let lse = m + log(s);
    var loss = 0.0;
    let inv = 1.0 / f32(uniforms.batch);
    for (var k = 0; k < 10; k++) {
      let lp = logit[k] - lse;
      let yk = f32(y[b * 10 + k]);
      loss -= yk * lp;
      result[o + WS_DLOG + k] = (exp(lp) * sy - yk) * inv;
    }
    result[o + WS_LOSS] = loss;
    result[o + WS_HIT] = select(0.0, 1.0, am == ay);
  }
  sync();

  // Dense backward: dh2 = (dlogits·fc3ᵀ) ⊙ [h2 > 0], dh1 = (dh2·fc2ᵀ) ⊙ [h1 > 0].
  for (var k = t; k < 84; k += T) {
    var acc = 0.0;
    for (var j = 0; j < 10; j++) { acc += result[o + WS_DLOG + j] * f32(fc3w[k * 10 + j]); }
    result[o + WS_DH2 + k] = select(0.0, acc, result[o + WS_H2 + k] > 0.0);
  }
  sync();
  for (var k = t; k < 120; k += T) {
    var acc = 0.0;
    for (var j = 0; j < 84; j++) { acc += result[o + WS_DH2 + j] * f32(fc2w[k * 84 + j]); }
    result[o + WS_DH1 + k] = select(0.0, acc, result[o + WS_H1 + k] > 0.0);
  }
  sync();
  // d(conv2 pre-activation) at each pool-2 argmax = (dh1·fc1ᵀ) ⊙ [pre > 0].
  for (var i = t; i < 400; i += T) {
    var acc = 0.0;
    for (var j = 0; j < 120; j++) { acc += result[o + WS_DH1 + j] * f32(fc1w[i * 120 + j]); }
    result[o + WS_DPRE2 + i] = select(0.0, acc, result[o + WS_P2PRE + i] > 0.0);
  }
  sync();

  // conv2's output gradient: a pool-2 window passes its gradient to its argmax position only.
  for (var i = t; i < 1600; i += T) {
    let co = i % 16;
    let ox = (i / 16) % 10;
    let oy = i / 160;
    let q = o + ((oy / 2) * 5 + ox / 2) * 16 + co;
    scratch[i] = select(0.0, result[q + WS_DPRE2], result[q + WS_P2ARG] == f32((oy % 2) * 2 + ox % 2));
  }
  workgroupBarrier();
  // conv2's input gradient, gathered per pool-1 element (y, x, ci), then ⊙ [conv1 pre-activation > 0]
  // through pool-1's ReLU.
  for (var i = t; i < 1176; i += T) {
    let ci = i % 6;
    let ix = (i / 6) % 14;
    let iy = i / 84;
    var acc = 0.0;
    for (var ky = 0; ky < 5; ky++) {
      let oy = iy - ky;
      if (oy < 0 || oy >= 10) { continue; }
      for (var kx = 0; kx < 5; kx++) {
        let ox = ix - kx;
        if (ox < 0 || ox >= 10) { continue; }
        let d = (oy * 10 + ox) * 16;
        let w = PK_C2W + ((ky * 5 + kx) * 6 + ci) * 16;
        for (var co = 0; co < 16; co++) { acc += scratch[d + co] * packed[w + co]; }
      }
    }
    result[o + WS_DPRE1 + i] = select(0.0, acc, result[o + WS_P1PRE + i] > 0.0);
  }
}`;
  return workgroupProgram(
    'lenet5ForwardBackward',
    [batch * WS.IMAGE],
    ['x', 'y', 'packed', 'fc1w', 'fc2w', 'fc3w'],
    batch,
    T,
    code,
    'batch : i32,',
  );
}
