import { describe, expect, it } from 'vitest';
import { alignTo, applyPermutations, PERMUTED_LAYERS } from '../../../src/core/geometry/align';
import { distance, flatten } from '../../../src/core/baselines/flat';
import { createRng, permutation } from '../../../src/core/random';
import { maxAbsDiff, mnist } from '../../helpers';
import { loadModel, logitsOf, root } from '../baselines/fixtures';
import { join } from 'node:path';

const bundled = (seed: number) => loadModel(join(root, `public/models/lenet5-seed${seed}.safetensors`));
const argmax = (logits: Float32Array) =>
  Array.from({ length: logits.length / 10 }, (_, i) => {
    const row = logits.subarray(i * 10, i * 10 + 10);
    return row.indexOf(Math.max(...row));
  });

describe('permutation alignment (Git Re-Basin weight matching, SPEC §7)', () => {
  const A = bundled(1);
  const B = bundled(2);
  const r = alignTo(A, B);

  it('the aligned B predicts exactly as B on all 10,000 test images and is closer to A in L2', () => {
    const test = mnist().test;
    const before = logitsOf(B, test, 10000);
    const after = logitsOf(r.aligned, test, 10000);
    expect(argmax(after)).toEqual(argmax(before));
    expect(maxAbsDiff(after, before)).toBeLessThan(1e-3);
    expect(distance(flatten(A), flatten(r.aligned))).toBeLessThan(distance(flatten(A), flatten(B)));
    expect(r.sweeps).toBeGreaterThan(1);
    expect(r.sweeps).toBeLessThanOrEqual(100);
    for (const [layer, n] of Object.entries(PERMUTED_LAYERS)) {
      expect([...r.permutations[layer]].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('undoes a random permutation of A exactly', () => {
    const rng = createRng(11);
    const perms = Object.fromEntries(Object.entries(PERMUTED_LAYERS).map(([l, n]) => [l, permutation(n, rng)]));
    const shuffled = applyPermutations(A, perms);
    expect(distance(flatten(A), flatten(shuffled))).toBeGreaterThan(1);
    const back = alignTo(A, shuffled);
    expect(distance(flatten(A), flatten(back.aligned))).toBe(0);
  });
});
