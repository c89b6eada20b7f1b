import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '../../../src/core/tf';
import { readLenet5 } from '../../../src/core/io/checkpoint';
import { createEvalSet } from '../../../src/core/data/batches';
import { takeSplit } from '../../../src/core/data/mnist';
import { canonicalize } from '../../../src/core/geometry/canonical';
import { localEnergy, localEnergyAlong } from '../../../src/core/geometry/flatness';
import { barrierOf, evenT } from '../../../src/core/geometry/landscape';
import { mnist } from '../../helpers';

const root = join(__dirname, '../../..');
const model = readLenet5(
  new Uint8Array(readFileSync(join(root, 'tests/fixtures/lenet5-1epoch-seed1.safetensors'))),
).params;

describe('local energy δE(σ) (SPEC §7)', () => {
  it('is invariant to the canonical rescaling within sampling noise (same seeds)', async () => {
    const train = createEvalSet(takeSplit(mnist().train, 1000));
    const before = tf.memory().numTensors;
    const opts = { sigmas: [0, 0.2, 0.5], samples: 2, seed: 3 };
    const raw = await localEnergy(model, train, opts);
    const canon = await localEnergy(canonicalize(model), train, opts);
    expect(tf.memory().numTensors).toBe(before);
    expect(raw.localEnergy[0]).toBe(0);
    expect(canon.baseError).toBeCloseTo(raw.baseError, 6);
    // Multiplicative noise commutes with per-unit scaling: equal up to float rounding of a few images.
    raw.localEnergy.forEach((e, i) => expect(Math.abs(e - canon.localEnergy[i])).toBeLessThanOrEqual(0.003));
    // More noise, more error; a 1-epoch model is visibly perturbed at σ = 0.5.
    expect(raw.localEnergy[2]).toBeGreaterThan(raw.localEnergy[1]);
    expect(raw.localEnergy[2]).toBeGreaterThan(0.005);
    // A different seed draws different noise.
    const other = await localEnergy(model, train, { ...opts, seed: 4 });
    expect(other.localEnergy[2]).not.toBe(raw.localEnergy[2]);
    // Along a path: the same numbers for the same model (snapshots come as records).
    const along = await localEnergyAlong([Object.fromEntries(model)], train, opts);
    expect(along[0].localEnergy).toEqual(raw.localEnergy);
    train.dispose();
  });

  it('barrier is the largest excess over the line between the end errors', () => {
    const t = evenT(5);
    expect(t).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(barrierOf(t, [0.01, 0.02, 0.3, 0.05, 0.03])).toBeCloseTo(0.3 - 0.02, 12);
    expect(barrierOf([0, 1], [0.1, 0.2])).toBe(0);
    expect(() => evenT(1)).toThrow(/≥ 2/);
  });
});
