import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Matrix, SVD } from 'ml-matrix';
import { readLenet5 } from '../../../src/core/io/checkpoint';
import {
  analyseDisplacements,
  REFERENCE_DIMENSIONALITY,
  runExcursions,
} from '../../../src/core/experiments/dimensionality';
import { initLenet5Host, LENET5 } from '../../../src/core/model/lenet5';
import * as tf from '../../../src/core/tf';
import { mnist } from '../../helpers';

const fixture = (n: string) => readLenet5(new Uint8Array(readFileSync(join(__dirname, '../../fixtures', n)))).params;
const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

describe('dimensionality of low-loss directions (§5.3)', () => {
  it('without training, each displacement is the per-tensor step toward its destination', async () => {
    const start = fixture('lenet5-1epoch-seed1.safetensors');
    const dests = [fixture('lenet5-1epoch-seed2.safetensors'), initLenet5Host(9)];
    const before = tf.memory().numTensors;
    const ex = await runExcursions(start, dests, mnist().train, { ...REFERENCE_DIMENSIONALITY, rounds: 0, step: 0.01 });
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isNaN(ex.meanLoss[0])).toBe(true);
    for (const p of LENET5) {
      const a = start.get(p.name)!;
      ex.displacements.get(p.name)!.forEach((row, k) => {
        // Step 0.01 along (D − A)/‖D − A‖ of this tensor alone (bias not merged with weight).
        expect(norm(row)).toBeCloseTo(0.01, 5);
        const d = dests[k].get(p.name)!;
        const dir = Float64Array.from(d, (x, i) => x - a[i]);
        const cos = row.reduce((s, x, i) => s + x * dir[i], 0) / (norm(row) * norm(dir));
        expect(cos).toBeGreaterThan(0.9999);
      });
    }
  });

  it('with training, ranks and singular values equal a direct SVD of the displacements', async () => {
    const start = fixture('lenet5-1epoch-seed1.safetensors');
    const dests = [fixture('lenet5-1epoch-seed2.safetensors'), initLenet5Host(5), initLenet5Host(6)];
    const config = { ...REFERENCE_DIMENSIONALITY, rounds: 2, batch: 100 };
    const before = tf.memory().numTensors;
    const ex = await runExcursions(start, dests, mnist().train, config);
    expect(tf.memory().numTensors).toBe(before);
    expect(ex.meanLoss).toHaveLength(4);
    const analysis = analyseDisplacements(ex.displacements);
    for (const [name, a] of analysis) {
      const rows = ex.displacements.get(name)!;
      const direct = new SVD(new Matrix(rows.map((r) => Array.from(r))), { autoTranspose: true }).diagonal;
      a.singularValues.forEach((s, i) => expect(Math.abs(s - direct[i])).toBeLessThan(1e-6 * direct[0]));
      const tol = direct[0] * Math.max(3, a.dims) * 2 ** -23;
      expect(a.rank).toBe(direct.filter((s) => s > tol).length);
      expect(a.paths).toBe(3);
      expect(a.fullRank).toBe(Math.min(3, a.dims));
      expect(a.effectiveRanks).toHaveLength(1000);
    }
  });
});
