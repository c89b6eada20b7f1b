import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '../../../src/core/tf';
import { readLenet5 } from '../../../src/core/io/checkpoint';
import { createBatchSource, createEvalSet } from '../../../src/core/data/batches';
import { takeSplit } from '../../../src/core/data/mnist';
import { initLenet5, disposeParams, toDevice } from '../../../src/core/model/lenet5';
import { canonicalPair, compareModels } from '../../../src/core/geometry/compare';
import {
  DEFAULT_CHAIN,
  chainGradient,
  chainPoint,
  oneBendChain,
  type ChainEvent,
} from '../../../src/core/geometry/chain';
import { trainModel } from '../../../src/core/geometry/trainModel';
import { hostErrorRate } from '../../../src/core/geometry/errors';
import { toHost } from '../../../src/core/model/lenet5';
import { mnist, relErr } from '../../helpers';

const root = join(__dirname, '../../..');
const load = (p: string) => readLenet5(new Uint8Array(readFileSync(join(root, 'tests/fixtures', p)))).params;

describe('one-bend chain, distances and optimiser training (SPEC §7, §9)', () => {
  const a = load('lenet5-1epoch-seed1.safetensors');
  const b = load('lenet5-1epoch-seed2.safetensors');

  it('compares two models: raw > aligned L2, a geodesic in radians, a function distance', async () => {
    const test = createEvalSet(takeSplit(mnist().test, 2000));
    const r = await compareModels(a, b, test);
    expect(r.l2Aligned).toBeLessThan(r.l2);
    expect(r.geodesic).toBeGreaterThan(0);
    expect(r.functionDistance).toBeGreaterThan(0);
    expect(r.functionDistance).toBeLessThan(0.1);
    expect(r.testErrorA).toBeLessThan(0.05);
    test.dispose();
  });

  it('trains the bend as an async generator and ends with the chain profile', async () => {
    const pair = canonicalPair(a, b);
    const batches = createBatchSource(takeSplit(mnist().train, 5000), { batchSize: 64, seed: 1 });
    const sets = {
      train: createEvalSet(takeSplit(mnist().train, 500)),
      test: createEvalSet(takeSplit(mnist().test, 500)),
    };
    const before = tf.memory().numTensors;
    const events: ChainEvent[] = [];
    const cfg = {
      ...DEFAULT_CHAIN,
      maxSteps: 30,
      evalEvery: 15,
      reportEvery: 10,
      points: 5,
      targetError: 0,
      logitScale: pair.logitScale,
    };
    for await (const e of oneBendChain(pair.a, pair.b, batches, sets, cfg)) events.push(e);
    expect(tf.memory().numTensors).toBe(before);
    expect(events.map((e) => e.kind)).toEqual(['loss', 'eval', 'loss', 'loss', 'done']);
    const done = events.at(-1)!;
    if (done.kind !== 'done') throw new Error('no done event');
    expect(done.profile.t).toEqual([0, 0.25, 0.5, 0.75, 1]);
    // The chain's ends are the models themselves, its middle the bend.
    expect(chainPoint(pair.a, done.bend, pair.b, 0).get('fc1.bias')).toEqual(pair.a.get('fc1.bias'));
    expect(chainPoint(pair.a, done.bend, pair.b, 0.5).get('fc1.bias')).toEqual(done.bend.get('fc1.bias'));
    expect(done.profile.trainError[0]).toBeCloseTo(await hostErrorRate(pair.a, sets.train), 9);
    expect(done.maxTrainError).toBe(Math.max(...done.profile.trainError));
    batches.dispose();
    sets.train.dispose();
    sets.test.dispose();
  });

  it('trains a model with Adam (PyTorch defaults) and it learns', async () => {
    const params = initLenet5(5);
    const batches = createBatchSource(mnist().train, { batchSize: 64, seed: 5 });
    const before = tf.memory().numTensors;
    const last = await trainModel(params, batches, {
      optimizer: { kind: 'adam', lr: 1e-3 },
      epochs: 120 / batches.batchesPerEpoch,
      reportEvery: 60,
    });
    expect(last!.step).toBe(120);
    expect(tf.memory().numTensors).toBe(before);
    const test = createEvalSet(takeSplit(mnist().test, 1000));
    expect(await hostErrorRate(await toHost(params), test)).toBeLessThan(0.15);
    disposeParams(params);
    batches.dispose();
    test.dispose();
  });

  it('takes the chain gradient from the kernel with scaled logits as autodiff does (both segments)', () => {
    const batch = createBatchSource(takeSplit(mnist().train, 640), { batchSize: 64, seed: 2 }).next();
    const [ta, tb] = [toDevice(a), toDevice(b)];
    const theta = toDevice(chainPoint(a, b, b, 0.15)); // a bend off the midpoint: 0.7·A + 0.3·B
    for (const t of [0.3, 0.7]) {
      const [k, d] = [true, false].map((kernel) => {
        const out = { loss: NaN, grads: new Map<string, Float32Array>() };
        tf.tidy(() => {
          const r = chainGradient(ta, theta, tb, t, batch, 2.5, kernel);
          out.loss = r.value.dataSync()[0];
          for (const [n, g] of r.grads) out.grads.set(n, g.dataSync() as Float32Array);
        });
        return out;
      });
      expect(k.loss).toBeCloseTo(d.loss, 4);
      for (const [name, g] of d.grads) {
        expect(relErr(k.grads.get(name)!, g), `${name} at t ${t}`).toBeLessThan(1e-4);
      }
    }
    [ta, tb, theta].forEach(disposeParams);
    tf.dispose([batch.x, batch.y]);
  });
});
