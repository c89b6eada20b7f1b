import { LENET5, size, type HostParams, type ParamSpec } from './lenet5';

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

export function toTorchLayout(spec: ParamSpec, v: Float32Array): Float32Array {
  if (spec.kind === 'bias') return v.slice();
  const out = new Float32Array(size(spec.shape));
  if (spec.shape.length === 4) {
    const [kh, kw, cin, cout] = spec.shape;
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++)
        for (let i = 0; i < cin; i++)
          for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = v[((y * kw + x) * cin + i) * cout + o];
    return out;
  }
  const [cin, cout] = spec.shape;
  const reorder = spec.group === 'fc1';
  for (let o = 0; o < cout; o++)
    for (let ti = 0; ti < cin; ti++) out[o * cin + ti] = v[(reorder ? fc1InputFromTorch(ti) : ti) * cout + o];
  return out;
}

export function fromTorchLayout(spec: ParamSpec, t: Float32Array): Float32Array {
  if (spec.kind === 'bias') return t.slice();
  const out = new Float32Array(size(spec.shape));
  if (spec.shape.length === 4) {
    const [kh, kw, cin, cout] = spec.shape;
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++)
        for (let i = 0; i < cin; i++)
          for (let o = 0; o < cout; o++) out[((y * kw + x) * cin + i) * cout + o] = t[((o * cin + i) * kh + y) * kw + x];
    return out;
  }
  const [cin, cout] = spec.shape;
  const reorder = spec.group === 'fc1';
  for (let o = 0; o < cout; o++)
    for (let ti = 0; ti < cin; ti++) out[(reorder ? fc1InputFromTorch(ti) : ti) * cout + o] = t[o * cin + ti];
  return out;
}

export function specOf(name: string): ParamSpec {
  const s = LENET5.find((p) => p.name === name);
  if (!s) throw new Error(`unknown LeNet5 parameter ${name}`);
  return s;
}

/** All parameters in PyTorch layout, state_dict order. */
export function hostToTorch(host: HostParams): Map<string, Float32Array> {
  return new Map(LENET5.map((p) => [p.name, toTorchLayout(p, host.get(p.name)!)]));
}
