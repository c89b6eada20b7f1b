// One LeNet5 training step (forward, softmax cross-entropy, backward) for a batch, in one call.
// The host writes the parameters (engine layouts), images and one-hot labels into this memory,
// calls step(), and reads the mean loss, the correct count and every gradient back.
import * as L from './layout';
import { colSum, gemmNN, gemmTN, reluMask, transpose } from './dense';
import { conv1Forward, conv2Forward } from './conv';
import { conv1Backward, conv2Backward } from './convGrad';

/** Lays memory out for `batch` images (call again when the batch size changes). */
export function setup(batch: i32): void {
  L.layout(batch);
}
export function paramsPtr(): usize {
  return L.params;
}
export function gradsPtr(): usize {
  return L.grads;
}
export function xPtr(): usize {
  return L.xIn;
}
export function yPtr(): usize {
  return L.yIn;
}
/** [mean loss, correct count]. */
export function outPtr(): usize {
  return L.out;
}

/** Zero-padded copies of the images: plain (for dW1) and split into even/odd columns (for conv1). */
function prepareInput(): void {
  const B = L.B;
  memory.fill(L.xp, 0, (B * L.XP_IMG) << 2);
  for (let b = 0; b < B; b++) {
    for (let r = 0; r < 28; r++) {
      memory.copy(L.xp + ((b * L.XP_IMG + (r + 2) * L.XP_W + 2) << 2), L.xIn + ((b * 784 + r * 28) << 2), 28 << 2);
    }
    for (let r = 0; r < 32; r++) {
      const src = L.xp + ((b * L.XP_IMG + r * L.XP_W) << 2);
      const de = L.xe + ((b * L.XD_IMG + r * L.XD_W) << 2);
      const dox = L.xo + ((b * L.XD_IMG + r * L.XD_W) << 2);
      for (let i = 0; i < L.XD_W; i++) {
        store<f32>(de + (i << 2), load<f32>(src + (i << 3)));
        store<f32>(dox + (i << 2), load<f32>(src + (i << 3), 4));
      }
    }
  }
}

/** Weight copies in the layouts the kernels read: rotated conv2 filters, transposed dense weights. */
function prepareWeights(): void {
  const p = L.params;
  memory.fill(L.w2t, 0, (16 * 5 * 32) << 2);
  for (let ky = 0; ky < 5; ky++)
    for (let t = 0; t < 30; t++)
      for (let co = 0; co < 16; co++)
        store<f32>(L.w2t + (((co * 5 + ky) * 32 + t) << 2), load<f32>(p + ((L.C2W + (ky * 30 + t) * 16 + co) << 2)));
  transpose(p + (L.F1W << 2), 400, 120, L.f1t);
  transpose(p + (L.F2W << 2), 120, 84, L.f2t);
  transpose(p + (L.F3W << 2), 84, 10, L.f3t);
  memory.fill(L.f3p, 0, (84 * 12) << 2);
  for (let k = 0; k < 84; k++) memory.copy(L.f3p + ((k * 12) << 2), p + ((L.F3W + k * 10) << 2), 40);
  memory.fill(L.b3p, 0, 48);
  memory.copy(L.b3p, p + (L.F3B << 2), 40);
}

/** Mean softmax cross-entropy, correct count, and dLoss/dlogits (stride 12, two zero pad columns). */
function lossAndGrad(): void {
  const B = L.B;
  let loss: f64 = 0;
  let correct = 0;
  for (let b = 0; b < B; b++) {
    const z = L.logits + ((b * 12) << 2);
    const y = L.yIn + ((b * 10) << 2);
    let m: f64 = load<f32>(z);
    let am = 0;
    let ym: f32 = load<f32>(y);
    let ay = 0;
    for (let k = 1; k < 10; k++) {
      const v = load<f32>(z + (k << 2));
      if (v > m) {
        m = v;
        am = k;
      }
      const t = load<f32>(y + (k << 2));
      if (t > ym) {
        ym = t;
        ay = k;
      }
    }
    if (am == ay) correct++;
    let sum: f64 = 0;
    let sy: f64 = 0;
    for (let k = 0; k < 10; k++) {
      sum += Math.exp(<f64>load<f32>(z + (k << 2)) - m);
      sy += load<f32>(y + (k << 2));
    }
    const lse = m + Math.log(sum);
    const d = L.dlog + ((b * 12) << 2);
    for (let k = 0; k < 10; k++) {
      const lp = <f64>load<f32>(z + (k << 2)) - lse;
      const t: f64 = load<f32>(y + (k << 2));
      loss -= t * lp;
      store<f32>(d + (k << 2), <f32>((Math.exp(lp) * sy - t) / <f64>B));
    }
    store<f32>(d + 40, 0);
    store<f32>(d + 44, 0);
  }
  store<f32>(L.out, <f32>(loss / <f64>B));
  store<f32>(L.out + 4, <f32>correct);
}

/** Names of the phases of step(), in order, for per-phase profiles (bench/sgdStep.ts). */
export const PHASES = 7;

/** Runs one phase of step(): 0 input and weight copies, 1 conv1+pool, 2 conv2+pool, 3 dense forward
 *  and loss, 4 dense backward, 5 conv2 backward, 6 conv1 backward. Phases must run in order. */
export function runPhase(phase: i32): void {
  const B = L.B;
  const p = L.params;
  const g = L.grads;
  if (phase == 0) {
    prepareInput();
    prepareWeights();
  } else if (phase == 1) {
    for (let b = 0; b < B; b++) conv1Forward(b);
  } else if (phase == 2) {
    for (let b = 0; b < B; b++) conv2Forward(b);
  } else if (phase == 3) {
    gemmNN(L.flat, 400, B, 400, p + (L.F1W << 2), 120, p + (L.F1B << 2), true, L.h1, 120);
    gemmNN(L.h1, 120, B, 120, p + (L.F2W << 2), 84, p + (L.F2B << 2), true, L.h2, 84);
    gemmNN(L.h2, 84, B, 84, L.f3p, 12, L.b3p, false, L.logits, 12);
    lossAndGrad();
  } else if (phase == 4) {
    gemmTN(L.h2, 84, B, 84, L.dlog, 12, 12, L.dw3p);
    for (let k = 0; k < 84; k++) memory.copy(g + ((L.F3W + k * 10) << 2), L.dw3p + ((k * 12) << 2), 40);
    colSum(L.dlog, 12, B, 12, L.tmp);
    memory.copy(g + (L.F3B << 2), L.tmp, 40);
    gemmNN(L.dlog, 12, B, 10, L.f3t, 84, 0, false, L.dh2, 84);
    reluMask(L.dh2, L.h2, B * 84);
    gemmTN(L.h1, 120, B, 120, L.dh2, 84, 84, g + (L.F2W << 2));
    colSum(L.dh2, 84, B, 84, g + (L.F2B << 2));
    gemmNN(L.dh2, 84, B, 84, L.f2t, 120, 0, false, L.dh1, 120);
    reluMask(L.dh1, L.h1, B * 120);
    gemmTN(L.flat, 400, B, 400, L.dh1, 120, 120, g + (L.F1W << 2));
    colSum(L.dh1, 120, B, 120, g + (L.F1B << 2));
    gemmNN(L.dh1, 120, B, 120, L.f1t, 400, 0, false, L.dflat, 400);
  } else if (phase == 5) {
    conv2Backward();
  } else {
    conv1Backward();
  }
}

/** Forward, loss and every gradient for the batch in memory. */
export function step(): void {
  for (let i = 0; i < PHASES; i++) runPhase(i);
}
