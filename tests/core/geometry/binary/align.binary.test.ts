import { describe, expect, it } from 'vitest';
import { createEvalSet } from '../../../../src/core/data/batches';
import { takeSplit } from '../../../../src/core/data/mnist';
import { alignBinary } from '../../../../src/core/binary/align';
import { initBinaryHost } from '../../../../src/core/binary/model';
import { binaryFunctionDistance, hammingDistance } from '../../../../src/core/binary/distance';
import { mnist } from '../../../helpers';

describe('binary alignment', () => {
  it('permutes B (weights and its units’ batch norms) to match A without changing its function', async () => {
    const [a, b] = [initBinaryHost(1), initBinaryHost(2)];
    // Give B's batch norms distinct per-unit values, so a wrong permutation would change the function.
    b.forEach((v, n) => n.startsWith('bn') && !n.startsWith('bn5') && v.forEach((_, i) => (v[i] += 0.01 * i)));
    const { aligned, permutations } = alignBinary(a, b);
    expect(Object.keys(permutations).sort()).toEqual(['conv1', 'conv2', 'fc1', 'fc2']);
    expect(hammingDistance(a, aligned).count).toBeLessThan(hammingDistance(a, b).count);
    const test = createEvalSet(takeSplit(mnist().test, 1000));
    expect(await binaryFunctionDistance(b, aligned, test)).toBe(0);
    test.dispose();
  });
});
