import { LENET5, type HostParams } from '../model/lenet5';

/**
 * The unit structure of LeNet5 used by the symmetry removal of Pittorino et al. 2022 (SPEC §7).
 * In the engine layouts (conv [kh, kw, in, out], dense [in, out]) the output unit of every weight
 * entry is its index modulo the layer's output count, so a unit o of a layer is the entries
 * i ≡ o (mod out) of its weight plus entry o of its bias.
 */
export const HIDDEN_LAYERS = ['conv1', 'conv2', 'fc1', 'fc2'] as const;
export const ALL_LAYERS = ['conv1', 'conv2', 'fc1', 'fc2', 'fc3'] as const;
export type Layer = (typeof ALL_LAYERS)[number];

/** Output units (filters or rows) per layer. */
export const UNITS: Record<Layer, number> = { conv1: 6, conv2: 16, fc1: 120, fc2: 84, fc3: 10 };

/** The layer fed by each hidden layer. */
export const NEXT: Record<(typeof HIDDEN_LAYERS)[number], Layer> = {
  conv1: 'conv2',
  conv2: 'fc1',
  fc1: 'fc2',
  fc2: 'fc3',
};

/**
 * Which hidden unit of the previous layer an input index of `layer`'s weight reads from.
 * conv2 [5,5,6,16]: channel = ⌊i/16⌋ mod 6. fc1 [400,120]: row r = h·80 + w·16 + c reads channel
 * c = r mod 16 (engine H·W·C flatten). fc2, fc3: the row itself.
 */
export function inputUnitOf(layer: Layer, index: number): number {
  const out = UNITS[layer];
  const row = Math.floor(index / out);
  if (layer === 'conv2') return row % 6;
  if (layer === 'fc1') return row % 16;
  return row;
}

/**
 * One sphere of the product manifold: a list of (tensor, entry) coordinates.
 * Hidden layers give one sphere per unit; fc3 is a single sphere (it can only be scaled as a whole).
 */
export interface Sphere {
  layer: Layer;
  /** Unit index, or −1 for the whole of fc3. */
  unit: number;
  coords: Array<{ name: string; indices: Int32Array }>;
}

let cached: Sphere[] | null = null;

/** The 6 + 16 + 120 + 84 unit spheres and the fc3 sphere (227 in all), in layer order. */
export function spheres(): Sphere[] {
  if (cached) return cached;
  const out: Sphere[] = [];
  for (const layer of HIDDEN_LAYERS) {
    const n = UNITS[layer];
    const wSize = weightSize(layer);
    for (let o = 0; o < n; o++) {
      const w = new Int32Array(wSize / n);
      for (let k = 0; k < w.length; k++) w[k] = k * n + o;
      out.push({
        layer,
        unit: o,
        coords: [
          { name: `${layer}.weight`, indices: w },
          { name: `${layer}.bias`, indices: Int32Array.of(o) },
        ],
      });
    }
  }
  const all = (len: number) => Int32Array.from({ length: len }, (_, i) => i);
  out.push({
    layer: 'fc3',
    unit: -1,
    coords: [
      { name: 'fc3.weight', indices: all(840) },
      { name: 'fc3.bias', indices: all(10) },
    ],
  });
  cached = out;
  return out;
}

function weightSize(layer: Layer): number {
  const s = LENET5.find((p) => p.name === `${layer}.weight`)!.shape;
  return s.reduce((a, b) => a * b, 1);
}

/** A sphere's coordinates gathered into one vector (float64 for accurate dot products). */
export function gather(host: HostParams, s: Sphere): Float64Array {
  const len = s.coords.reduce((n, c) => n + c.indices.length, 0);
  const v = new Float64Array(len);
  let k = 0;
  for (const c of s.coords) {
    const t = host.get(c.name)!;
    for (const i of c.indices) v[k++] = t[i];
  }
  return v;
}

/** Writes a vector back into a sphere's coordinates. */
export function scatter(host: HostParams, s: Sphere, v: ArrayLike<number>): void {
  let k = 0;
  for (const c of s.coords) {
    const t = host.get(c.name)!;
    for (const i of c.indices) t[i] = v[k++];
  }
}

/** A deep copy of host parameters. */
export function copyHost(host: HostParams): HostParams {
  return new Map([...host].map(([n, v]) => [n, Float32Array.from(v)]));
}

export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
