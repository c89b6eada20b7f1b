import { describe, expect, it } from 'vitest';
import { assignmentValue, maximiseAssignment } from '../../../src/core/baselines/assignment';
import { createRng } from '../../../src/core/random';

/** Best Σ C[i][π(i)] over all n! permutations. */
function bruteForce(cost: number[], n: number): number {
  let best = -Infinity;
  const perm = Array.from({ length: n }, (_, i) => i);
  const walk = (k: number) => {
    if (k === n) {
      best = Math.max(best, assignmentValue(cost, n, perm));
      return;
    }
    for (let i = k; i < n; i++) {
      [perm[k], perm[i]] = [perm[i], perm[k]];
      walk(k + 1);
      [perm[k], perm[i]] = [perm[i], perm[k]];
    }
  };
  walk(0);
  return best;
}

describe('maximising linear assignment (Hungarian)', () => {
  it('matches brute force on random, integer-tied and negative matrices up to 7×7', () => {
    const rng = createRng(3);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + (trial % 7);
      const kind = trial % 3;
      const cost = Array.from({ length: n * n }, () =>
        kind === 0 ? rng.normal() : kind === 1 ? rng.int(3) : -rng.next() * 100,
      );
      const perm = maximiseAssignment(cost, n);
      expect([...perm].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(assignmentValue(cost, n, perm)).toBeCloseTo(bruteForce(cost, n), 9);
    }
  });

  it('recovers a hidden permutation of a 120×120 diagonal-dominant matrix', () => {
    const n = 120;
    const rng = createRng(5);
    const hidden = Array.from({ length: n }, (_, i) => i).sort(() => rng.next() - 0.5);
    const cost = Array.from({ length: n * n }, () => rng.next());
    hidden.forEach((j, i) => (cost[i * n + j] = 10));
    expect([...maximiseAssignment(cost, n)]).toEqual(hidden);
  });

  it('rejects non-finite costs and a wrong size', () => {
    expect(() => maximiseAssignment([1, NaN, 0, 1], 2)).toThrow(/finite/);
    expect(() => maximiseAssignment([1, 2, 3], 2)).toThrow(/2×2/);
  });
});
