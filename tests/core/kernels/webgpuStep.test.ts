import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../../src/core/tf';
import { LENET5, initLenet5Host, toDevice, disposeParams, type HostParams } from '../../../src/core/model/lenet5';
import { createRng } from '../../../src/core/random';
import { autodiffSgdStep, disposeVelocity, sgdStep, type SgdOptions } from '../../../src/core/train/sgd';
import { webgpuSgdStep } from '../../../src/core/kernels/webgpu/sgdStep';
import { countGpuWork } from '../../../src/core/kernels/webgpu/dispatchCount';
import { initNodeWebGpu } from '../../../src/node/webgpuNode';
import { relErr } from '../../helpers';

// The fused LeNet5 WebGPU step (issue #10) against TF.js autodiff on the cpu backend, in Node on the
// `webgpu` package (Dawn) over whatever Vulkan driver exists: SwiftShader (software) here and in CI.
// Relative error max|a − b| / max|b| ≤ 1e-4 for every parameter, velocity and loss, and also for the
// parameter change θ_after − θ_before (a much stricter test of the gradients). Small odd batches keep
// the cpu side and SwiftShader fast.
const TOL = 1e-4;
const gpu = await initNodeWebGpu();
if (!gpu.ok && process.env.CI) throw new Error(`CI needs a WebGPU adapter (chromium's SwiftShader): ${gpu.why}`);
if (!gpu.ok) console.warn(`webgpuStep tests skipped: ${gpu.why}`);

const minus = (a: Float32Array, b: Float32Array) => a.map((v, i) => v - b[i]);

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

/** Runs `steps` steps; returns parameters, velocities, [loss, correct] per step and dispatches per step. */
async function train(backend: 'cpu' | 'webgpu', f: Fixture, opts: () => SgdOptions, steps: number) {
  await tf.setBackend(backend);
  const params = toDevice(f.host);
  const batch = batchOf(f);
  const o = opts();
  const results: number[][] = [];
  const dispatches: number[] = [];
  for (let s = 0; s < steps; s++) {
    const { result, counts } = countGpuWork(() =>
      backend === 'webgpu' ? webgpuSgdStep(params, batch, o) : autodiffSgdStep(params, batch, o),
    );
    if (!result) throw new Error('the fused step declined a LeNet5 step on webgpu');
    if (counts) dispatches.push(counts.dispatches);
    results.push([(await result.loss.data())[0], (await result.correct.data())[0]]);
    tf.dispose([result.loss, result.correct]);
  }
  const out = new Map<string, Float32Array>();
  for (const [n, v] of params) out.set(n, (await v.data()) as Float32Array);
  const vel = new Map<string, Float32Array>();
  for (const [n, v] of o.velocity ?? []) vel.set(n, (await v.data()) as Float32Array);
  if (o.velocity) disposeVelocity(o.velocity);
  if (typeof o.lr !== 'number') for (const r of o.lr.values()) if (typeof r !== 'number') r.dispose();
  disposeParams(params);
  tf.dispose([batch.x, batch.y]);
  return { params: out, velocity: vel, results, dispatches };
}

async function compareSteps(f: Fixture, opts: () => SgdOptions, steps: number) {
  const ref = await train('cpu', f, opts, steps);
  const got = await train('webgpu', f, opts, steps);
  for (const [name, v] of ref.params) {
    const g = got.params.get(name)!;
    const moved = minus(v, f.host.get(name)!);
    if (process.env.DEBUG_KERNEL) console.log(name, relErr(g, v), relErr(minus(g, f.host.get(name)!), moved));
    expect(relErr(g, v), name).toBeLessThanOrEqual(TOL);
    if (moved.some((d) => d !== 0))
      expect(relErr(minus(g, f.host.get(name)!), moved), `Δ ${name}`).toBeLessThanOrEqual(TOL);
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

describe.skipIf(!gpu.ok)(`LeNet5 fused WebGPU step (issue #10) on ${gpu.ok ? gpu.adapter : 'no adapter'}`, () => {
  beforeAll(async () => {
    expect(await tf.setBackend('webgpu')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it('plain SGD, three steps, in 14 dispatches a step', async () => {
    const { got } = await compareSteps(fixture(1, 5), () => ({ lr: 0.05 }), 3);
    expect(got.dispatches).toEqual([14, 14, 14]);
  });

  it('momentum 0.9 with a velocity map, three steps (first buffer = gradient), 24 dispatches', async () => {
    const { got } = await compareSteps(fixture(2, 4), () => ({ lr: 0.02, momentum: 0.9, velocity: new Map() }), 3);
    expect(got.velocity.size).toBe(LENET5.length);
    expect(Math.max(...got.dispatches)).toBeLessThanOrEqual(40);
    expect(got.dispatches).toEqual([24, 24, 24]);
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
    expect(got.dispatches).toEqual([4 + 2 * trainable.size, 4 + 2 * trainable.size]);
  });

  it('per-tensor rates with plain SGD (AngleConformal), a batch of 66 (more images than reduction threads)', async () => {
    const lr = () => new Map<string, number | tf.Scalar>(LENET5.map((p, i) => [p.name, tf.scalar(0.01 * (i + 1))]));
    await compareSteps(fixture(5, 66), () => ({ lr: lr() }), 2);
  });

  it('sgdStep takes the fused path on webgpu, reads nothing back, and declines other shapes', async () => {
    await tf.setBackend('webgpu');
    const f = fixture(6, 2);
    const params = toDevice(f.host);
    const batch = batchOf(f);
    const backend = tf.backend() as unknown as { read: (id: object) => unknown; readSync: (id: object) => unknown };
    let reads = 0;
    const { read, readSync } = backend;
    backend.read = (id) => (reads++, read.call(backend, id));
    backend.readSync = (id) => (reads++, readSync.call(backend, id));
    const { result, counts } = countGpuWork(() => sgdStep(params, batch, { lr: 0.01 }));
    backend.read = read;
    backend.readSync = readSync;
    expect(reads).toBe(0);
    expect(counts!.dispatches).toBe(14);
    const small = { x: tf.zeros([2, 14, 14, 1]) as tf.Tensor4D, y: batch.y };
    expect(webgpuSgdStep(params, small, { lr: 0.01 })).toBeNull();
    tf.dispose([result.loss, result.correct, small.x, batch.x, batch.y]);
    disposeParams(params);
    await tf.setBackend('cpu');
    const cpuParams = toDevice(f.host);
    const cpuBatch = batchOf(f);
    expect(webgpuSgdStep(cpuParams, cpuBatch, { lr: 0.01 })).toBeNull();
    disposeParams(cpuParams);
    tf.dispose([cpuBatch.x, cpuBatch.y]);
  });

  it('keeps tf.memory().numTensors flat over many steps', async () => {
    await tf.setBackend('webgpu');
    const f = fixture(4, 1);
    const params = toDevice(f.host);
    const batch = batchOf(f);
    const velocity = new Map<string, tf.Variable>();
    const rate = tf.scalar(0.01);
    const lr = new Map<string, number | tf.Scalar>(LENET5.map((p, i) => [p.name, i % 2 ? 0.01 : rate]));
    const step = () => tf.dispose(Object.values(sgdStep(params, batch, { lr, momentum: 0.9, velocity })));
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) {
      step();
      if (i % 25 === 24) await params.get('fc3.bias')!.data(); // let the queue drain now and then
    }
    expect(tf.memory().numTensors).toBe(before);
    disposeVelocity(velocity);
    disposeParams(params);
    tf.dispose([batch.x, batch.y, rate]);
  });
});
