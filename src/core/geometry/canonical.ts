import type { HostParams } from '../model/lenet5';
import { HIDDEN_LAYERS, NEXT, UNITS, copyHost, gather, inputUnitOf, norm, spheres, type Sphere } from './units';

/**
 * Scale canonical form (SPEC §7; Pittorino et al. 2022, §2): going forward through conv1, conv2,
 * fc1, fc2, each unit's (weights, bias) is divided by its norm c and the next layer's input weights
 * from that unit are multiplied by c (ReLU and max-pool commute with a positive scale). fc3 is
 * divided by the joint norm of (fc3.weight, fc3.bias): logits change by a positive factor only,
 * so every prediction (argmax) is unchanged. Returns a new model; the input is not modified.
 */
export function canonicalize(host: HostParams): HostParams {
  return canonicalizeWithScale(host).params;
}

/**
 * The canonical form and its logit scale s: logits(host) = s · logits(canonical), s > 0 (the joint
 * norm of fc3 after the hidden layers' scales were pushed into it).
 */
export function canonicalizeWithScale(host: HostParams): { params: HostParams; logitScale: number } {
  const out = copyHost(host);
  const byLayer = groupSpheres();
  for (const layer of HIDDEN_LAYERS) {
    const scale = new Float64Array(UNITS[layer]);
    for (const s of byLayer.get(layer)!) {
      const c = norm(gather(out, s));
      scale[s.unit] = c;
      if (c > 0) scaleSphere(out, s, 1 / c);
    }
    const next = NEXT[layer];
    const w = out.get(`${next}.weight`)!;
    for (let i = 0; i < w.length; i++) w[i] *= scale[inputUnitOf(next, i)];
  }
  const fc3 = byLayer.get('fc3')![0];
  const c = norm(gather(out, fc3));
  if (c > 0) scaleSphere(out, fc3, 1 / c);
  return { params: out, logitScale: c };
}

/** The norm of every sphere's (weights, bias) in layer order (all 1 for a canonical model). */
export function sphereNorms(host: HostParams): Float64Array {
  return Float64Array.from(spheres(), (s) => norm(gather(host, s)));
}

function scaleSphere(host: HostParams, s: Sphere, f: number): void {
  for (const c of s.coords) {
    const t = host.get(c.name)!;
    for (const i of c.indices) t[i] *= f;
  }
}

function groupSpheres(): Map<string, Sphere[]> {
  const m = new Map<string, Sphere[]>();
  for (const s of spheres()) m.set(s.layer, [...(m.get(s.layer) ?? []), s]);
  return m;
}
