import { LENET5, type HostParams } from '../model/lenet5';
import { maximiseAssignment, assignmentValue } from '../baselines/assignment';
import { createRng, permutation } from '../random';

/**
 * Permutation alignment of B to A (SPEC §7; Git Re-Basin weight matching, Ainsworth et al. 2023,
 * Algorithm 1): coordinate descent over the hidden-unit permutations, each step a maximising
 * linear assignment of Σ W_A·W_Bᵀ over every tensor the permutation touches.
 */

/** The hidden layers whose units can be permuted, with their widths. */
export const PERMUTED_LAYERS = { conv1: 6, conv2: 16, fc1: 120, fc2: 84 } as const;
type Layer = keyof typeof PERMUTED_LAYERS;

/**
 * Each tensor in engine layout viewed with a shape whose axes are permuted by a layer (or not).
 * conv HWIO [kh, kw, in, out]; dense [in, out]; fc1's 400 inputs are H·W·C (SPEC §2, layout.ts),
 * so fc1.weight is viewed as [25 positions, 16 channels of conv2, 120 units].
 */
const AXES: Record<string, { shape: number[]; axes: (Layer | null)[] }> = {
  'conv1.weight': { shape: [25, 1, 6], axes: [null, null, 'conv1'] },
  'conv1.bias': { shape: [6], axes: ['conv1'] },
  'conv2.weight': { shape: [25, 6, 16], axes: [null, 'conv1', 'conv2'] },
  'conv2.bias': { shape: [16], axes: ['conv2'] },
  'fc1.weight': { shape: [25, 16, 120], axes: [null, 'conv2', 'fc1'] },
  'fc1.bias': { shape: [120], axes: ['fc1'] },
  'fc2.weight': { shape: [120, 84], axes: ['fc1', 'fc2'] },
  'fc2.bias': { shape: [84], axes: ['fc2'] },
  'fc3.weight': { shape: [84, 10], axes: ['fc2', null] },
  'fc3.bias': { shape: [10], axes: [null] },
};

export interface AlignOptions {
  /** At most this many sweeps over all layers (SPEC §7: 100). */
  maxSweeps?: number;
  /** Seed of the random layer order within each sweep. */
  seed?: number;
}

export interface Alignment {
  /** B with its hidden units permuted to match A: the same function as B. */
  aligned: HostParams;
  /** Per layer, perm[i] = the unit of B placed at position i. */
  permutations: Record<string, Int32Array>;
  /** Sweeps run until no permutation changed (or the limit). */
  sweeps: number;
}

/** Views a tensor as [outer, n, inner] around one axis. */
function around(shape: number[], axis: number): [number, number, number] {
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return [outer, shape[axis], inner];
}

/** out[…, k, …] = v[…, perm[k], …] along one axis. */
export function permuteAxis(v: Float32Array, shape: number[], axis: number, perm: ArrayLike<number>): Float32Array {
  const [outer, n, inner] = around(shape, axis);
  const out = new Float32Array(v.length);
  for (let o = 0; o < outer; o++)
    for (let k = 0; k < n; k++)
      out.set(v.subarray((o * n + perm[k]) * inner, (o * n + perm[k] + 1) * inner), (o * n + k) * inner);
  return out;
}

/** A tensor of B with the permutations of every layer except `skip` applied. */
function permuted(b: Float32Array, name: string, perms: Record<Layer, Int32Array>, skip: Layer | null): Float32Array {
  const { shape, axes } = AXES[name];
  let v = b;
  axes.forEach((layer, axis) => {
    if (layer && layer !== skip) v = permuteAxis(v, shape, axis, perms[layer]);
  });
  return v;
}

/** C[j][k] = Σ over tensors touching `layer` of ⟨A's slice j, B's slice k⟩ (B's other axes already permuted). */
function costMatrix(a: HostParams, b: HostParams, perms: Record<Layer, Int32Array>, layer: Layer): Float64Array {
  const n = PERMUTED_LAYERS[layer];
  const cost = new Float64Array(n * n);
  for (const [name, { shape, axes }] of Object.entries(AXES)) {
    const axis = axes.indexOf(layer);
    if (axis < 0) continue;
    const va = a.get(name)!;
    const vb = permuted(b.get(name)!, name, perms, layer);
    const [outer, , inner] = around(shape, axis);
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < n; j++) {
        const ja = (o * n + j) * inner;
        for (let k = 0; k < n; k++) {
          const kb = (o * n + k) * inner;
          let s = 0;
          for (let i = 0; i < inner; i++) s += va[ja + i] * vb[kb + i];
          cost[j * n + k] += s;
        }
      }
  }
  return cost;
}

const identity = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** Applies per-layer permutations to every tensor of B. */
export function applyPermutations(b: HostParams, perms: Record<string, Int32Array>): HostParams {
  const full = { ...Object.fromEntries(Object.entries(PERMUTED_LAYERS).map(([l, n]) => [l, identity(n)])), ...perms };
  const out: HostParams = new Map();
  for (const p of LENET5) out.set(p.name, permuted(b.get(p.name)!, p.name, full as Record<Layer, Int32Array>, null));
  return out;
}

/** Permutes B's hidden units to match A (weight matching); B's function is unchanged. */
export function alignTo(a: HostParams, b: HostParams, opts: AlignOptions = {}): Alignment {
  const maxSweeps = opts.maxSweeps ?? 100;
  const layers = Object.keys(PERMUTED_LAYERS) as Layer[];
  const perms = Object.fromEntries(layers.map((l) => [l, identity(PERMUTED_LAYERS[l])])) as Record<Layer, Int32Array>;
  const rng = createRng(opts.seed ?? 0);
  let sweeps = 0;
  while (sweeps < maxSweeps) {
    sweeps++;
    let improved = false;
    for (const i of permutation(layers.length, rng)) {
      const layer = layers[i];
      const n = PERMUTED_LAYERS[layer];
      const cost = costMatrix(a, b, perms, layer);
      const next = maximiseAssignment(cost, n);
      const gain = assignmentValue(cost, n, next) - assignmentValue(cost, n, perms[layer]);
      if (gain > 1e-9 * Math.max(1, Math.abs(assignmentValue(cost, n, perms[layer])))) {
        perms[layer] = next;
        improved = true;
      }
    }
    if (!improved) break;
  }
  return { aligned: applyPermutations(b, perms), permutations: { ...perms }, sweeps };
}
