/**
 * An independent, straightforward LLPF tick for the full-batch check (issue #11): LeNet5's forward
 * and backward pass written out in float64 loops, no TF.js. Same parameter layout as the engine
 * (conv [kh, kw, in, out], dense [in, out], flatten in H, W, C order) so values compare directly.
 * The maths follows SPEC §2–§4: Move (rule "max", no clamp), VarianceCorrection (unbiased, ε = 1e-4),
 * AngleConformal (lr · var_now / var_start for weights), plain SGD on the mean cross-entropy.
 */
export type RefParams = Map<string, Float64Array>;

const GROUPS = ['conv1', 'conv2', 'fc1', 'fc2', 'fc3'];
const EPS = 1e-4;

export const copyParams = (p: ReadonlyMap<string, ArrayLike<number>>): RefParams =>
  new Map([...p].map(([n, v]) => [n, Float64Array.from(v)]));

function mean(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s / a.length;
}

/** Unbiased variance (N − 1), as torch.var. */
export function unbiasedVar(a: Float64Array): number {
  const m = mean(a);
  let s = 0;
  for (const v of a) s += (v - m) * (v - m);
  return s / (a.length - 1);
}

/** Move every group (weight and bias together) toward D by s = max(stepF, stepA·n) along (D − P)/n. */
export function move(p: RefParams, dest: RefParams, stepF: number, stepA: number): void {
  for (const g of GROUPS) {
    const names = [`${g}.weight`, `${g}.bias`];
    let n2 = 0;
    for (const name of names) p.get(name)!.forEach((v, i) => (n2 += (dest.get(name)![i] - v) ** 2));
    const n = Math.sqrt(n2);
    if (n === 0) continue;
    const scale = Math.max(stepF, stepA * n) / n;
    for (const name of names) {
      const a = p.get(name)!;
      const d = dest.get(name)!;
      for (let i = 0; i < a.length; i++) a[i] += (d[i] - a[i]) * scale;
    }
  }
}

/** VarianceCorrection of every tensor back to its start variance: m + (P − m)·sqrt((v₀ + ε)/(v + ε)). */
export function varianceCorrect(p: RefParams, startVar: ReadonlyMap<string, number>): void {
  for (const [name, a] of p) {
    if (a.length < 2) continue;
    const m = mean(a);
    const f = Math.sqrt((startVar.get(name)! + EPS) / (unbiasedVar(a) + EPS));
    for (let i = 0; i < a.length; i++) a[i] = m + (a[i] - m) * f;
  }
}

/** AngleConformal rates: lr · var_now / var_start for weights, lr for biases. */
export function angleConformal(p: RefParams, startVar: ReadonlyMap<string, number>, lr: number): Map<string, number> {
  return new Map(
    [...p].map(([n, a]) => [n, n.endsWith('.weight') ? (lr * unbiasedVar(a)) / startVar.get(n)! : lr] as const),
  );
}

/** One plain SGD step on the whole batch; returns the loss before the step. */
export function sgdStep(
  p: RefParams,
  x: Float64Array,
  labels: ArrayLike<number>,
  lr: (name: string) => number,
): number {
  const { loss, grads } = lossAndGrads(p, x, labels);
  for (const [name, a] of p) {
    const g = grads.get(name)!;
    const r = lr(name);
    for (let i = 0; i < a.length; i++) a[i] -= r * g[i];
  }
  return loss;
}

/** Conv, stride 1, zero padding `pad`, input [h, w, cin], filter [k, k, cin, cout] → [oh, ow, cout]. */
function conv(x: Float64Array, h: number, cin: number, w: Float64Array, b: Float64Array, cout: number, pad: number) {
  const o = h + 2 * pad - 4;
  const z = new Float64Array(o * o * cout);
  for (let y = 0; y < o; y++)
    for (let xx = 0; xx < o; xx++)
      for (let co = 0; co < cout; co++) {
        let s = b[co];
        for (let ky = 0; ky < 5; ky++) {
          const iy = y + ky - pad;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < 5; kx++) {
            const ix = xx + kx - pad;
            if (ix < 0 || ix >= h) continue;
            for (let c = 0; c < cin; c++) s += w[((ky * 5 + kx) * cin + c) * cout + co] * x[(iy * h + ix) * cin + c];
          }
        }
        z[(y * o + xx) * cout + co] = s;
      }
  return z;
}

/** Gradients of conv: accumulates into gw, gb and (if given) gx, from gz [oh, ow, cout]. */
function convBack(
  x: Float64Array,
  h: number,
  cin: number,
  w: Float64Array,
  cout: number,
  pad: number,
  gz: Float64Array,
  gw: Float64Array,
  gb: Float64Array,
  gx: Float64Array | null,
): void {
  const o = h + 2 * pad - 4;
  for (let y = 0; y < o; y++)
    for (let xx = 0; xx < o; xx++)
      for (let co = 0; co < cout; co++) {
        const g = gz[(y * o + xx) * cout + co];
        if (g === 0) continue;
        gb[co] += g;
        for (let ky = 0; ky < 5; ky++) {
          const iy = y + ky - pad;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < 5; kx++) {
            const ix = xx + kx - pad;
            if (ix < 0 || ix >= h) continue;
            for (let c = 0; c < cin; c++) {
              const wi = ((ky * 5 + kx) * cin + c) * cout + co;
              const xi = (iy * h + ix) * cin + c;
              gw[wi] += g * x[xi];
              if (gx) gx[xi] += g * w[wi];
            }
          }
        }
      }
}

/** ReLU then 2×2 max pool of [h, h, c]: the pooled values and, per output, the input index of its max. */
function reluPool(z: Float64Array, h: number, c: number): { out: Float64Array; arg: Int32Array } {
  const o = h / 2;
  const out = new Float64Array(o * o * c);
  const arg = new Int32Array(o * o * c);
  for (let y = 0; y < o; y++)
    for (let x = 0; x < o; x++)
      for (let k = 0; k < c; k++) {
        let best = -Infinity;
        let at = -1;
        for (const [dy, dx] of [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ]) {
          const i = ((2 * y + dy) * h + 2 * x + dx) * c + k;
          const v = Math.max(0, z[i]);
          if (v > best) [best, at] = [v, i];
        }
        out[(y * o + x) * c + k] = best;
        arg[(y * o + x) * c + k] = at;
      }
  return { out, arg };
}

/** Back through pool and ReLU: the gradient of the pre-activation z. */
function reluPoolBack(z: Float64Array, arg: Int32Array, gout: Float64Array): Float64Array {
  const gz = new Float64Array(z.length);
  arg.forEach((i, k) => (gz[i] += z[i] > 0 ? gout[k] : 0));
  return gz;
}

/** y = x·W + b for x [nin], W [nin, nout]. */
function dense(x: Float64Array, w: Float64Array, b: Float64Array): Float64Array {
  const nout = b.length;
  const y = Float64Array.from(b);
  for (let i = 0; i < x.length; i++) for (let j = 0; j < nout; j++) y[j] += x[i] * w[i * nout + j];
  return y;
}

/** Accumulates dense gradients from gy; returns the gradient of x. */
function denseBack(
  x: Float64Array,
  w: Float64Array,
  gy: Float64Array,
  gw: Float64Array,
  gb: Float64Array,
): Float64Array {
  const nout = gy.length;
  const gx = new Float64Array(x.length);
  for (let j = 0; j < nout; j++) gb[j] += gy[j];
  for (let i = 0; i < x.length; i++)
    for (let j = 0; j < nout; j++) {
      gw[i * nout + j] += x[i] * gy[j];
      gx[i] += w[i * nout + j] * gy[j];
    }
  return gx;
}

const relu = (a: Float64Array) => a.map((v) => Math.max(0, v));
const reluBack = (z: Float64Array, g: Float64Array) => g.map((v, i) => (z[i] > 0 ? v : 0));

/** Mean softmax cross-entropy of the batch (n images, 784 normalised pixels each) and its gradients. */
export function lossAndGrads(p: RefParams, x: Float64Array, labels: ArrayLike<number>) {
  const P = (n: string) => p.get(n)!;
  const grads: RefParams = new Map([...p].map(([n, a]) => [n, new Float64Array(a.length)]));
  const G = (n: string) => grads.get(n)!;
  const n = labels.length;
  let loss = 0;
  for (let b = 0; b < n; b++) {
    const img = x.subarray(b * 784, (b + 1) * 784);
    const z1 = conv(img, 28, 1, P('conv1.weight'), P('conv1.bias'), 6, 2);
    const p1 = reluPool(z1, 28, 6);
    const z2 = conv(p1.out, 14, 6, P('conv2.weight'), P('conv2.bias'), 16, 0);
    const p2 = reluPool(z2, 10, 16);
    const z3 = dense(p2.out, P('fc1.weight'), P('fc1.bias'));
    const h3 = relu(z3);
    const z4 = dense(h3, P('fc2.weight'), P('fc2.bias'));
    const h4 = relu(z4);
    const z5 = dense(h4, P('fc3.weight'), P('fc3.bias'));
    const top = Math.max(...z5);
    const lse = top + Math.log(z5.reduce((s, v) => s + Math.exp(v - top), 0));
    loss += (lse - z5[labels[b]]) / n;
    const g5 = z5.map((v, j) => (Math.exp(v - lse) - (j === labels[b] ? 1 : 0)) / n);
    const g4 = reluBack(z4, denseBack(h4, P('fc3.weight'), g5, G('fc3.weight'), G('fc3.bias')));
    const g3 = reluBack(z3, denseBack(h3, P('fc2.weight'), g4, G('fc2.weight'), G('fc2.bias')));
    const gp2 = denseBack(p2.out, P('fc1.weight'), g3, G('fc1.weight'), G('fc1.bias'));
    const gz2 = reluPoolBack(z2, p2.arg, gp2);
    const gp1 = new Float64Array(p1.out.length);
    convBack(p1.out, 14, 6, P('conv2.weight'), 16, 0, gz2, G('conv2.weight'), G('conv2.bias'), gp1);
    const gz1 = reluPoolBack(z1, p1.arg, gp1);
    convBack(img, 28, 1, P('conv1.weight'), 6, 2, gz1, G('conv1.weight'), G('conv1.bias'), null);
  }
  return { loss, grads };
}
