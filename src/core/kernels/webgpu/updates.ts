import { LENET5, size } from '../../model/spec';
import { layoutWgsl } from './layout';
import { elementwiseProgram, THREADS, workgroupProgram, type WebGpuProgram } from './program';

// Weight gradients (sums over the batch of the workspace written by forwardBackward.ts) fused with
// the SGD update of one parameter tensor (issue #10): each parameter costs one dispatch for plain SGD,
// two with momentum (velocity, then parameter). Same update rules as autodiffSgdStep (PyTorch's SGD).

/**
 * What one program writes for its parameter θ with gradient g:
 * - `sgd`: θ − lr·g (plain SGD);
 * - `velocityFirst`: g (PyTorch: the first momentum buffer is the gradient itself);
 * - `velocity`: μ·v + g (v the old buffer).
 * The momentum step then writes θ − lr·v through `applyProgram`.
 */
export type UpdateMode = 'sgd' | 'velocityFirst' | 'velocity';

/** Where a tensor's learning rate lives: a uniform (a number) or a device scalar (AngleConformal). */
export type RateSource = 'uniform' | 'tensor';

/**
 * WGSL for dLoss/dθ[i] of parameter `name` (engine layouts), summed over the batch: `grad(i)`, one
 * thread per element; or, where few elements sum many terms (conv1), `partial(i, e)` for entry
 * e < batch·`entries`, summed by a workgroup per element (no atomics: deterministic results).
 */
function gradSource(name: string): { entries: number; code: string } {
  const dense = (a: string, aRelu: boolean, d: string, n: number) => ({
    entries: 0,
    code: `
fn grad(i : i32) -> f32 {
  let kk = i / ${n};
  let n = i % ${n};
  var acc = 0.0;
  for (var b = 0; b < uniforms.batch; b++) {
    let o = b * WS_IMAGE;
    let av = ws[o + ${a} + kk];
    acc += ${aRelu ? 'max(av, 0.0)' : 'av'} * ws[o + ${d} + n];
  }
  return acc;
}`,
  });
  const bias = (d: string, n: number) => ({
    entries: 0,
    code: `
fn grad(i : i32) -> f32 {
  var acc = 0.0;
  for (var b = 0; b < uniforms.batch; b++) { acc += ws[b * WS_IMAGE + ${d} + i % ${n}]; }
  return acc;
}`,
  });
  switch (name) {
    case 'fc1.weight':
      return dense('WS_P2PRE', true, 'WS_DH1', 120);
    case 'fc1.bias':
      return bias('WS_DH1', 120);
    case 'fc2.weight':
      return dense('WS_H1', false, 'WS_DH2', 84);
    case 'fc2.bias':
      return bias('WS_DH2', 84);
    case 'fc3.weight':
      return dense('WS_H2', false, 'WS_DLOG', 10);
    case 'fc3.bias':
      return bias('WS_DLOG', 10);
    case 'conv1.weight':
      // dW1[ky, kx, 0, co] = Σ over pool-1 outputs of dpre1 · x at the argmax window's tap (pad 2):
      // B·196 terms for only 150 weights, so a workgroup per weight splits them (entry e = b·196 + q).
      return {
        entries: 196,
        code: `
fn partial(i : i32, e : i32) -> f32 {
  let co = i % 6;
  let kx = (i / 6) % 5;
  let ky = i / 30;
  let b = e / 196;
  let q = e % 196;
  let o = b * WS_IMAGE;
  let g = ws[o + WS_DPRE1 + q * 6 + co];
  if (g == 0.0) { return 0.0; }
  let a = i32(ws[o + WS_P1ARG + q * 6 + co]);
  let iy = 2 * (q / 14) + a / 2 + ky - 2;
  let ix = 2 * (q % 14) + a % 2 + kx - 2;
  if (iy < 0 || iy >= 28 || ix < 0 || ix >= 28) { return 0.0; }
  return g * f32(x[b * 784 + iy * 28 + ix]);
}`,
      };
    case 'conv1.bias':
      return {
        entries: 196,
        code: `
fn partial(i : i32, e : i32) -> f32 {
  return ws[(e / 196) * WS_IMAGE + WS_DPRE1 + (e % 196) * 6 + i];
}`,
      };
    case 'conv2.weight':
      // dW2[ky, kx, ci, co] = Σ over pool-2 outputs of dpre2 · relu(pool-1) at the argmax window's tap.
      return {
        entries: 0,
        code: `
fn grad(i : i32) -> f32 {
  let co = i % 16;
  let ci = (i / 16) % 6;
  let kx = (i / 96) % 5;
  let ky = i / 480;
  var acc = 0.0;
  for (var b = 0; b < uniforms.batch; b++) {
    let o = b * WS_IMAGE;
    for (var q = 0; q < 25; q++) {
      let g = ws[o + WS_DPRE2 + q * 16 + co];
      if (g == 0.0) { continue; }
      let a = i32(ws[o + WS_P2ARG + q * 16 + co]);
      let iy = 2 * (q / 5) + a / 2 + ky;
      let ix = 2 * (q % 5) + a % 2 + kx;
      acc += g * max(ws[o + WS_P1PRE + (iy * 14 + ix) * 6 + ci], 0.0);
    }
  }
  return acc;
}`,
      };
    case 'conv2.bias':
      return {
        entries: 0,
        code: `
fn grad(i : i32) -> f32 {
  var acc = 0.0;
  for (var b = 0; b < uniforms.batch; b++) {
    for (var q = 0; q < 25; q++) { acc += ws[b * WS_IMAGE + WS_DPRE2 + q * 16 + i]; }
  }
  return acc;
}`,
      };
    default:
      throw new Error(`no WebGPU gradient for parameter ${name}`);
  }
}

/** The value written for element i once `g` is known (UpdateMode). */
function epilogue(mode: UpdateMode, rate: RateSource): string {
  const lr = rate === 'tensor' ? 'f32(lr[0])' : 'uniforms.lr';
  if (mode === 'sgd') return `result[i] = f32(p[i]) - g * ${lr};`;
  if (mode === 'velocityFirst') return 'result[i] = g;';
  return 'result[i] = f32(v[i]) * uniforms.mu + g;';
}

/** Input names of an update program, in order (after the name-specific gradient inputs). */
export function updateInputs(name: string, mode: UpdateMode, rate: RateSource): string[] {
  return [
    ...(mode === 'sgd' ? ['p'] : []),
    'ws',
    ...(name === 'conv1.weight' ? ['x'] : []),
    ...(mode === 'velocity' ? ['v'] : []),
    ...(mode === 'sgd' && rate === 'tensor' ? ['lr'] : []),
  ];
}

/** Uniform fields shared by the update programs: images in the batch, rate, momentum μ. */
export const UPDATE_UNIFORMS = 'batch : i32, lr : f32, mu : f32,';

/** Gradient of parameter `name` fused with its update (inputs: updateInputs, uniforms: UPDATE_UNIFORMS). */
export function updateProgram(name: string, mode: UpdateMode, rate: RateSource): WebGpuProgram {
  const spec = LENET5.find((p) => p.name === name);
  if (!spec) throw new Error(`unknown parameter ${name}`);
  const n = size(spec.shape);
  const src = gradSource(name);
  const key = `lenet5Update_${name}_${mode}_${rate}`;
  const names = updateInputs(name, mode, rate);
  if (!src.entries) {
    const code = `
${layoutWgsl()}
${src.code}
fn main(index : i32) {
  let i = index;
  if (i >= uniforms.size) { return; }
  let g = grad(i);
  ${epilogue(mode, rate)}
}`;
    return elementwiseProgram(key, spec.shape, names, code, UPDATE_UNIFORMS);
  }
  const code = `
${layoutWgsl()}
var<workgroup> part : array<f32, ${THREADS}>;
${src.code}
fn main(index : i32) {
  let i = i32(workgroupId.x);
  let t = i32(localId.x);
  var acc = 0.0;
  let count = uniforms.batch * ${src.entries};
  for (var e = t; e < count; e += ${THREADS}) { acc += partial(i, e); }
  part[t] = acc;
  workgroupBarrier();
  for (var s = ${THREADS / 2}; s > 0; s = s / 2) {
    if (t < s) { part[t] += part[t + s]; }
    workgroupBarrier();
  }
  if (t == 0) {
    let g = part[0];
    ${epilogue(mode, rate)}
  }
}`;
  return workgroupProgram(key, spec.shape, names, n, THREADS, code, UPDATE_UNIFORMS);
}

/** Momentum's parameter step θ − lr·v (inputs p, v, and lr when the rate is a device scalar). */
export function applyProgram(shape: number[], rate: RateSource): WebGpuProgram {
  const n = size(shape);
  const lr = rate === 'tensor' ? 'f32(lr[0])' : 'uniforms.lr';
  const code = `
fn main(index : i32) {
  let i = index;
  if (i >= uniforms.size) { return; }
  result[i] = f32(p[i]) - f32(v[i]) * ${lr};
}`;
  return elementwiseProgram(
    `lenet5Apply_${n}_${rate}`,
    shape,
    ['p', 'v', ...(rate === 'tensor' ? ['lr'] : [])],
    code,
    UPDATE_UNIFORMS,
  );
}
