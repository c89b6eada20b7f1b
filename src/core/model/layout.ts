import { LENET5, size, type ParamSpec } from './lenet5';

/**
 * Conversions between the engine's TF.js layouts and PyTorch's (SPEC §2):
 * conv [kh, kw, in, out] ↔ [out, in, kh, kw]; dense [in, out] ↔ linear [out, in];
 * fc1 also reorders its 400 inputs, H·W·C (TF flatten of NHWC) ↔ C·H·W (PyTorch flatten of NCHW).
 */
const FC1_CHANNELS = 16;
const FC1_SIDE = 5;

/** Index into the engine's fc1 input (h, w, c) for PyTorch's input index c·25 + h·5 + w. */
function fc1InputFromTorch(torchIndex: number): number {
  const c = Math.floor(torchIndex / (FC1_SIDE * FC1_SIDE));
  const h = Math.floor((torchIndex % (FC1_SIDE * FC1_SIDE)) / FC1_SIDE);
  const w = torchIndex % FC1_SIDE;
  return (h * FC1_SIDE + w) * FC1_CHANNELS + c;
}

const permutations = new Map<string, Int32Array>();

/** torchIndex[i]: where entry i of the engine layout sits in the PyTorch layout (cached per tensor). */
function torchIndexOf(spec: ParamSpec): Int32Array {
  let perm = permutations.get(spec.name);
  if (perm) return perm;
  perm = new Int32Array(size(spec.shape));
  if (spec.kind === 'bias') perm.forEach((_, i) => (perm![i] = i));
  else if (spec.shape.length === 4) {
    const [kh, kw, cin, cout] = spec.shape;
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++)
        for (let i = 0; i < cin; i++)
          for (let o = 0; o < cout; o++) perm[((y * kw + x) * cin + i) * cout + o] = ((o * cin + i) * kh + y) * kw + x;
  } else {
    const [cin, cout] = spec.shape;
    const reorder = spec.group === 'fc1';
    for (let o = 0; o < cout; o++)
      for (let ti = 0; ti < cin; ti++) perm[(reorder ? fc1InputFromTorch(ti) : ti) * cout + o] = o * cin + ti;
  }
  permutations.set(spec.name, perm);
  return perm;
}

export function toTorchLayout(spec: ParamSpec, v: Float32Array): Float32Array {
  const perm = torchIndexOf(spec);
  const out = new Float32Array(perm.length);
  for (let i = 0; i < perm.length; i++) out[perm[i]] = v[i];
  return out;
}

export function fromTorchLayout(spec: ParamSpec, t: Float32Array): Float32Array {
  const perm = torchIndexOf(spec);
  const out = new Float32Array(perm.length);
  for (let i = 0; i < perm.length; i++) out[i] = t[perm[i]];
  return out;
}

export function specOf(name: string): ParamSpec {
  const s = LENET5.find((p) => p.name === name);
  if (!s) throw new Error(`unknown LeNet5 parameter ${name}`);
  return s;
}
