// The static description of LeNet5 (no TF.js here, so the UI can read it).

/**
 * LeNet5 as in the LLPF reference (SPEC §2): conv1 1→6 5×5 pad 2, ReLU, maxpool 2,
 * conv2 6→16 5×5, ReLU, maxpool 2, flatten 400, fc1 400→120, ReLU, fc2 120→84, ReLU, fc3 84→10.
 */
export interface ParamSpec {
  /** PyTorch state_dict name, e.g. "conv1.weight". */
  name: string;
  /** Layer group: a layer's weight and bias, moved together by LLPF (`merge_bias_with_weights`). */
  group: string;
  kind: 'weight' | 'bias';
  /** Shape in the engine (TF.js layout: conv [kh, kw, in, out], dense [in, out]). */
  shape: number[];
  /** Shape in PyTorch (conv [out, in, kh, kw], linear [out, in]). */
  torchShape: number[];
  /** Xavier fans (PyTorch's: conv fans are channels × kh × kw). */
  fanIn: number;
  fanOut: number;
}

const conv = (group: string, cin: number, cout: number, k: number): ParamSpec[] => [
  {
    name: `${group}.weight`,
    group,
    kind: 'weight',
    shape: [k, k, cin, cout],
    torchShape: [cout, cin, k, k],
    fanIn: cin * k * k,
    fanOut: cout * k * k,
  },
  {
    name: `${group}.bias`,
    group,
    kind: 'bias',
    shape: [cout],
    torchShape: [cout],
    fanIn: cin * k * k,
    fanOut: cout * k * k,
  },
];
const dense = (group: string, cin: number, cout: number): ParamSpec[] => [
  {
    name: `${group}.weight`,
    group,
    kind: 'weight',
    shape: [cin, cout],
    torchShape: [cout, cin],
    fanIn: cin,
    fanOut: cout,
  },
  { name: `${group}.bias`, group, kind: 'bias', shape: [cout], torchShape: [cout], fanIn: cin, fanOut: cout },
];

/** Parameters in state_dict order. */
export const LENET5: readonly ParamSpec[] = [
  ...conv('conv1', 1, 6, 5),
  ...conv('conv2', 6, 16, 5),
  ...dense('fc1', 400, 120),
  ...dense('fc2', 120, 84),
  ...dense('fc3', 84, 10),
];
export const LENET5_GROUPS = ['conv1', 'conv2', 'fc1', 'fc2', 'fc3'] as const;
export const LENET5_PARAM_COUNT = LENET5.reduce((n, p) => n + size(p.shape), 0); // 61,706

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
