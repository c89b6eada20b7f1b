import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import {
  LENET5,
  initLenet5Host,
  toDevice,
  disposeParams,
  type HostParams,
  type Params,
} from '../../../src/core/model/lenet5';
import { createRng } from '../../../src/core/random';
import { autodiffSgdStep, disposeVelocity, sgdStep, type SgdOptions } from '../../../src/core/train/sgd';
import { KERNEL_OFFSETS, lenet5Kernel } from '../../../src/core/kernels/lenet5Kernel';
import { kernelSgdStep } from '../../../src/core/kernels/lenet5Sgd';
import { relErr } from '../../helpers';

// The hand-written wasm LeNet5 step (issue #10) against TF.js autodiff on the cpu backend:
// relative error max|a − b| / max|b| per tensor ≤ 1e-4. Small odd batches keep the cpu side fast.
const TOL = 1e-4;

/** A model with non-zero biases (so every ReLU/pool gate matters) and a batch of random images. */
function fixture(seed: number, n: number) {
  const rng = createRng(seed);
  const host: HostParams = initLenet5Host(seed);
  for (const p of LENET5)
    if (p.kind === 'bias') host.get(p.name)!.forEach((_, i, a) => (a[i] = rng.uniform(-0.1, 0.1)));
  const x = new Float32Array(n * 784).map(() => rng.uniform(-0.5, 2.5));
  const y = new Float32Array(n * 10);
  for (let b = 0; b < n; b++) y[b * 10 + Math.floor(rng.uniform(0, 10))] = 1;
  return { host, x, y, n };
}
type Fixture = ReturnType<typeof fixture>;

const batchOf = (f: Fixture) => ({ x: tf.tensor4d(f.x, [f.n, 28, 28, 1]), y: tf.tensor2d(f.y, [f.n, 10]) });

/** Runs `steps` SGD steps on a backend; returns parameters, velocities and the step results. */
async function train(backend: string, f: Fixture, opts: (p: Params) => SgdOptions, steps: number, fast: boolean) {
  await tf.setBackend(backend);
  const params = toDevice(f.host);
  const batch = batchOf(f);
  const o = opts(params);
  const results: number[][] = [];
  for (let s = 0; s < steps; s++) {
    const r = fast ? kernelSgdStep(params, batch, o) : autodiffSgdStep(params, batch, o);
    if (!r) throw new Error('the kernel path declined a LeNet5 step on wasm');
    results.push([(await r.loss.data())[0], (await r.correct.data())[0]]);
    tf.dispose([r.loss, r.correct]);
  }
  const out = new Map<string, Float32Array>();
  for (const [n, v] of params) out.set(n, (await v.data()) as Float32Array);
  const vel = new Map<string, Float32Array>();
  for (const [n, v] of o.velocity ?? []) vel.set(n, (await v.data()) as Float32Array);
  if (o.velocity) disposeVelocity(o.velocity);
  if (typeof o.lr !== 'number') for (const r of o.lr.values()) if (typeof r !== 'number') r.dispose();
  disposeParams(params);
  tf.dispose([batch.x, batch.y]);
  return { params: out, velocity: vel, results };
}

async function compareSteps(f: Fixture, opts: (p: Params) => SgdOptions, steps: number) {
  const ref = await train('cpu', f, opts, steps, false);
  const got = await train('wasm', f, opts, steps, true);
  for (const [name, v] of ref.params) {
    if (process.env.DEBUG_KERNEL) console.log(name, relErr(got.params.get(name)!, v));
    expect(relErr(got.params.get(name)!, v), name).toBeLessThanOrEqual(TOL);
  }
  expect([...got.velocity.keys()].sort()).toEqual([...ref.velocity.keys()].sort());
  for (const [name, v] of ref.velocity)
    expect(relErr(got.velocity.get(name)!, v), `v ${name}`).toBeLessThanOrEqual(TOL);
  for (let s = 0; s < steps; s++) {
    expect(Math.abs(got.results[s][0] - ref.results[s][0])).toBeLessThanOrEqual(TOL * ref.results[s][0]);
    expect(got.results[s][1]).toBe(ref.results[s][1]);
  }
  return { ref, got };
}

describe('LeNet5 wasm kernel step (issue #10)', () => {
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it('gradients, loss and hit count equal cpu autodiff (padded conv1, every layer)', async () => {
    const f = fixture(11, 5);
    await tf.setBackend('cpu');
    const params = toDevice(f.host);
    const batch = batchOf(f);
    const names = [...params.keys()];
    const { value, grads } = tf.variableGrads(
      () => {
        const logits = tf.tidy(() => {
          // Same graph as the engine's forward (ReLU then pool) through plain TF.js ops.
          const p = (n: string) => params.get(n)!;
          let h = tf.relu(tf.add(tf.conv2d(batch.x, p('conv1.weight') as tf.Tensor4D, 1, 2), p('conv1.bias')));
          h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
          h = tf.relu(
            tf.add(tf.conv2d(h as tf.Tensor4D, p('conv2.weight') as tf.Tensor4D, 1, 'valid'), p('conv2.bias')),
          );
          h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
          let z: tf.Tensor = tf.reshape(h, [f.n, 400]);
          z = tf.relu(tf.add(tf.matMul(z as tf.Tensor2D, p('fc1.weight') as tf.Tensor2D), p('fc1.bias')));
          z = tf.relu(tf.add(tf.matMul(z as tf.Tensor2D, p('fc2.weight') as tf.Tensor2D), p('fc2.bias')));
          return tf.add(tf.matMul(z as tf.Tensor2D, p('fc3.weight') as tf.Tensor2D), p('fc3.bias')) as tf.Tensor2D;
        });
        return tf.losses.softmaxCrossEntropy(batch.y, logits) as tf.Scalar;
      },
      names.map((n) => params.get(n)!),
    );
    const k = lenet5Kernel(f.n)!;
    expect(k).not.toBeNull();
    for (const p of LENET5) k.params.set(f.host.get(p.name)!, KERNEL_OFFSETS.get(p.name)!);
    k.x.set(f.x);
    k.y.set(f.y);
    const [loss] = k.step();
    expect(Math.abs(loss - value.dataSync()[0])).toBeLessThanOrEqual(TOL * value.dataSync()[0]);
    for (const p of LENET5) {
      const at = KERNEL_OFFSETS.get(p.name)!;
      const want = grads[params.get(p.name)!.name].dataSync();
      const e = relErr(k.grads.subarray(at, at + want.length), want);
      if (process.env.DEBUG_KERNEL) console.log('grad', p.name, e);
      expect(e, p.name).toBeLessThanOrEqual(TOL);
    }
    tf.dispose([value, ...Object.values(grads), batch.x, batch.y]);
    disposeParams(params);
  });

  it('plain SGD, two steps', async () => {
    await compareSteps(fixture(1, 3), () => ({ lr: 0.05 }), 2);
  });

  it('momentum 0.9 with a velocity map, three steps (first buffer = gradient)', async () => {
    const { got } = await compareSteps(fixture(2, 4), () => ({ lr: 0.02, momentum: 0.9, velocity: new Map() }), 3);
    expect(got.velocity.size).toBe(LENET5.length);
  });

  it('per-tensor rates (numbers and device scalars, a missing name = 0) on a trainable subset', async () => {
    const trainable = new Set(['conv1.weight', 'conv2.bias', 'fc1.weight', 'fc3.weight', 'fc3.bias']);
    const lr = () =>
      new Map<string, number | tf.Scalar>([
        ['conv1.weight', tf.scalar(0.03)],
        ['conv2.bias', 0.01],
        ['fc1.weight', tf.scalar(0.07)],
        ['fc3.weight', 0.02],
        ['fc2.weight', 0.5], // not trainable: must not move
      ]);
    const f = fixture(3, 3);
    const { got } = await compareSteps(f, () => ({ lr: lr(), momentum: 0.5, velocity: new Map(), trainable }), 2);
    for (const p of LENET5) if (!trainable.has(p.name)) expect(got.params.get(p.name)).toEqual(f.host.get(p.name));
    expect(got.params.get('fc3.bias')).toEqual(f.host.get('fc3.bias')); // trainable, rate 0 (missing)
    expect(got.velocity.size).toBe(trainable.size);
  });

  it('keeps tf.memory().numTensors flat over many steps', async () => {
    await tf.setBackend('wasm');
    const f = fixture(4, 8);
    const params = toDevice(f.host);
    const batch = batchOf(f);
    const velocity = new Map<string, tf.Variable>();
    const lr = new Map<string, number | tf.Scalar>(LENET5.map((p) => [p.name, 0.01]));
    const step = () => tf.dispose(Object.values(sgdStep(params, batch, { lr, momentum: 0.9, velocity })));
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 300; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    disposeVelocity(velocity);
    disposeParams(params);
    tf.dispose([batch.x, batch.y]);
  });
});
