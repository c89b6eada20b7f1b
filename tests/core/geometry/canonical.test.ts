import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '../../../src/core/tf';
import { readLenet5 } from '../../../src/core/io/checkpoint';
import { createEvalSet } from '../../../src/core/data/batches';
import { canonicalize, sphereNorms } from '../../../src/core/geometry/canonical';
import { canonicalPair } from '../../../src/core/geometry/compare';
import { disposeModel, predictions, upload } from '../../../src/core/geometry/errors';
import { geodesicDistance, slerp, slerpModels, sphereAngles } from '../../../src/core/geometry/geodesic';
import { spheres } from '../../../src/core/geometry/units';
import { mnist } from '../../helpers';

const root = join(__dirname, '../../..');
const load = (p: string) => readLenet5(new Uint8Array(readFileSync(join(root, p)))).params;

describe('scale canonical form and geodesics (SPEC §7)', () => {
  const a = load('public/models/lenet5-seed1.safetensors');
  const b = load('public/models/lenet5-seed2.safetensors');

  it('has 6 + 16 + 120 + 84 unit spheres plus one for fc3, covering every parameter once', () => {
    expect(spheres()).toHaveLength(227);
    const covered = spheres().reduce((n, s) => n + s.coords.reduce((k, c) => k + c.indices.length, 0), 0);
    expect(covered).toBe(61706);
  });

  it('gives every unit norm 1 and leaves all 10,000 test predictions unchanged', async () => {
    const c = canonicalize(a);
    const norms = sphereNorms(c);
    expect(Math.max(...norms.map((n) => Math.abs(n - 1)))).toBeLessThan(1e-5);
    expect(Math.max(...sphereNorms(a).map((n) => Math.abs(n - 1)))).toBeGreaterThan(0.1); // it did something
    const test = createEvalSet(mnist().test);
    const [ma, mc] = [upload(a), upload(c)];
    const [pa, pc] = [await predictions(ma, test), await predictions(mc, test)];
    expect(pa).toHaveLength(10000);
    expect(pc.every((v, i) => v === pa[i])).toBe(true);
    // Canonicalising twice changes nothing.
    expect(Math.max(...sphereNorms(canonicalize(c)).map((n) => Math.abs(n - 1)))).toBeLessThan(1e-5);
    // The aligned canonical B computes the same function as B.
    const pair = canonicalPair(a, b);
    const [mb, mpb] = [upload(b), upload(pair.b)];
    const [pb, ppb] = [await predictions(mb, test), await predictions(mpb, test)];
    expect(ppb.every((v, i) => v === pb[i])).toBe(true);
    [ma, mc, mb, mpb].forEach(disposeModel);
    test.dispose();
    expect(tf.memory().numTensors).toBeLessThan(50);
  });

  it('slerps on each unit sphere: ends at a and b, stays on the sphere, handles θ ≈ 0', () => {
    const u = Float64Array.of(1, 0, 0);
    const v = Float64Array.of(0, 1, 0);
    const mid = slerp(u, v, 0.5);
    expect(mid[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(mid[1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(Array.from(slerp(u, v, 0))).toEqual([1, 0, 0]);
    expect(slerp(u, v, 1)[1]).toBeCloseTo(1, 12);
    const same = slerp(u, Float64Array.of(1, 0, 0), 0.3);
    expect(Array.from(same)).toEqual([1, 0, 0]);
    const pair = canonicalPair(a, b);
    const g = slerpModels(pair.a, pair.b, 0.37);
    expect(Math.max(...sphereNorms(g).map((n) => Math.abs(n - 1)))).toBeLessThan(1e-5);
    // Distances along the geodesic add up: d(a, γ(t)) = t·d(a, b).
    const d = geodesicDistance(pair.a, pair.b);
    expect(geodesicDistance(pair.a, g)).toBeCloseTo(0.37 * d, 3);
    expect(geodesicDistance(pair.a, pair.a)).toBeLessThan(1e-3);
    expect(Math.max(...sphereAngles(pair.a, pair.b))).toBeLessThanOrEqual(Math.PI);
  });
});
