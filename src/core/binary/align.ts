import type { HostParams } from '../model/lenet5';
import { alignTo, applyPermutations } from '../geometry/align';
import { BATCH_NORMS, BINARY_LAYERS, BN_FIELDS, binarize, type BinaryHost } from './model';

/**
 * Permutation alignment of binary LeNet5 B to A (SPEC §7): weight matching (geometry/align.ts) on the
 * ±1 weights; each hidden unit's batch-norm tensors (bn1…bn4, one entry per unit, like a bias) move
 * with it, bn5 (the logits) does not. The aligned B computes the same function as B.
 */
export function alignBinary(
  a: BinaryHost,
  b: BinaryHost,
): { aligned: BinaryHost; permutations: Record<string, Int32Array> } {
  const [ba, bb] = [binarize(a), binarize(b)];
  const asLenet = (m: BinaryHost, field: string | null): HostParams =>
    new Map(
      BINARY_LAYERS.flatMap((l, i) => {
        const bn = `${BATCH_NORMS[i][0]}.${field}`;
        const bias = field ? m.get(bn)! : new Float32Array(BATCH_NORMS[i][1]);
        return [
          [`${l}.weight`, m.get(`${l}.weight`)!],
          [`${l}.bias`, bias],
        ];
      }),
    );
  const { permutations } = alignTo(asLenet(ba, null), asLenet(bb, null));
  const aligned: BinaryHost = new Map();
  for (const field of BN_FIELDS) {
    const p = applyPermutations(asLenet(bb, field), permutations);
    BINARY_LAYERS.forEach((l, i) => {
      aligned.set(`${l}.weight`, p.get(`${l}.weight`)!);
      aligned.set(`${BATCH_NORMS[i][0]}.${field}`, p.get(`${l}.bias`)!);
    });
  }
  return { aligned, permutations };
}
