import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '../../src/core/tf';
import { takeSplit } from '../../src/core/data/mnist';
import { readLenet5, writePathCheckpoint } from '../../src/core/io/checkpoint';
import { GeometryWorker } from '../../src/worker/geometry';
import { parseFromGeometry, parseToGeometry, type FromGeometry } from '../../src/worker/geometryProtocol';
import { mnist } from '../helpers';

const root = join(__dirname, '../..');
const file = (dir: string, name: string) => {
  const b = readFileSync(join(root, dir, name));
  return { name, bytes: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer };
};
const A = () => file('public/models', 'lenet5-seed1.safetensors');
const B = () => file('public/models', 'lenet5-seed2.safetensors');

/** The geometry worker's handler with a stubbed post; every event passes the UI's validation. */
function geometry(onEvent?: (e: FromGeometry, send: (m: object) => Promise<void>) => void) {
  const events: FromGeometry[] = [];
  const send = (msg: object) => w.handle({ v: 1, ...msg });
  const w = new GeometryWorker({
    probeBackends: async () => [{ name: 'wasm', available: true, software: false, detail: 'test' }],
    loadMnist: async () => ({ train: takeSplit(mnist().train, 2000), test: takeSplit(mnist().test, 1000) }),
    post: (msg) => {
      const e = parseFromGeometry(msg);
      events.push(e);
      onEvent?.(e, send);
    },
  });
  const of = <T extends FromGeometry['type']>(t: T) =>
    events.filter((x): x is Extract<FromGeometry, { type: T }> => x.type === t);
  return { send, of, events };
}

describe('geometry protocol', () => {
  it('validates commands field by field and events by runId', () => {
    const ok = { v: 1, type: 'compare', runId: 'c', a: A(), b: B(), testImages: 1000 };
    expect(parseToGeometry(ok).type).toBe('compare');
    expect(() => parseToGeometry({ ...ok, v: 2 })).toThrow(/version 2/);
    expect(() => parseToGeometry({ ...ok, type: 'nope' })).toThrow(/unknown message type/);
    expect(() => parseToGeometry({ ...ok, testImages: 0 })).toThrow(/testImages must be an integer 1..10000/);
    expect(() => parseToGeometry({ ...ok, b: { name: 'b', bytes: [1, 2] } })).toThrow(/b must be a model file/);
    const flat = { sigmas: [0, 0.1], samples: 2, trainImages: 500, seed: 0 };
    const f = { v: 1, type: 'flatness', runId: 'f', models: [A()], snapshots: [], flatness: flat, testImages: 100 };
    expect(parseToGeometry(f).type).toBe('flatness');
    expect(() => parseToGeometry({ ...f, flatness: { ...flat, sigmas: [-1] } })).toThrow(/flatness must be \{sigmas/);
    expect(() => parseToGeometry({ ...f, snapshots: [{ tick: -1, bytes: new ArrayBuffer(1) }] })).toThrow(/snapshots/);
    expect(() => parseFromGeometry({ v: 1, type: 'compareDone', result: {} })).toThrow(/without runId/);
    expect(() => parseFromGeometry({ v: 1, type: 'error', runId: null })).toThrow(/without message/);
  });
});

describe('GeometryWorker on the bundled models', () => {
  it('reports a job before init, then canonical form, alignment and distances', async () => {
    const { send, of } = geometry();
    await send({ type: 'compare', runId: 'early', a: A(), b: B(), testImages: 100 });
    expect(of('error')[0]).toMatchObject({ runId: 'early', message: expect.stringMatching(/not initialised/) });
    await send({ type: 'init', backend: 'wasm', dataUrl: 'mnist/' });
    expect(of('ready')[0].backend).toBe('wasm');
    expect(of('dataLoaded')).toHaveLength(1);
    await send({ type: 'canonical', runId: 'k', a: A(), b: B(), testImages: 1000 });
    const v = of('canonicalDone')[0].view;
    expect(v.layers.map((l) => l.count)).toEqual([6, 16, 120, 84, 1]);
    expect(v.normsBefore).toHaveLength(227);
    expect(Math.max(...v.normsAfter.map((n) => Math.abs(n - 1)))).toBeLessThan(1e-5);
    expect(Math.max(...v.normsBefore) - Math.min(...v.normsBefore)).toBeGreaterThan(0.1);
    expect(v.samePredictions).toBe(1000);
    expect(v.testError).toBeLessThan(0.02);
    expect(v.alignment!.samePredictions).toBe(1000);
    expect(v.alignment!.l2After).toBeLessThan(v.alignment!.l2Before);
    expect(v.alignment!.canonicalL2After).toBeLessThan(v.alignment!.canonicalL2Before);
    await send({ type: 'compare', runId: 'c', a: A(), b: B(), testImages: 1000 });
    const r = of('compareDone')[0].result;
    expect(r.l2Aligned).toBeLessThan(r.l2);
    expect(r.geodesic).toBeGreaterThan(0);
    expect(r.functionDistance).toBeGreaterThan(0);
    expect(r.functionDistance).toBeLessThan(0.05);
    expect(of('jobDone').map((e) => e.runId)).toEqual(['k', 'c']);
  });

  it('streams the error along the geodesic and the line; the geodesic’s barrier is the lower', async () => {
    const { send, of } = geometry();
    await send({ type: 'init', backend: 'wasm', dataUrl: 'mnist/' });
    await send({ type: 'landscape', runId: 'l', a: A(), b: B(), points: 5, trainImages: 1000, testImages: 500 });
    const pts = of('profilePoint');
    expect(pts.map((p) => p.path)).toEqual([...Array(5).fill('geodesic'), ...Array(5).fill('line')]);
    const { geodesic, line } = of('landscapeDone')[0];
    expect(geodesic.t).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(geodesic.trainError).toEqual(pts.slice(0, 5).map((p) => p.trainError));
    expect(line.barrier).toBeGreaterThan(0.3); // the raw straight line between seeds leaves the minimum
    expect(geodesic.barrier).toBeLessThan(line.barrier);
    expect(of('progress').at(-1)).toMatchObject({ done: 10, total: 10 });
  });

  it('computes δE(σ) for models and path snapshots, with test errors', async () => {
    const { send, of } = geometry();
    await send({ type: 'init', backend: 'wasm', dataUrl: 'mnist/' });
    const host = readLenet5(new Uint8Array(B().bytes)).params;
    const cp = writePathCheckpoint({ tick: 40, params: host, cursor: null });
    const snapshot = { tick: 40, bytes: cp.buffer.slice(cp.byteOffset, cp.byteOffset + cp.byteLength) };
    const flatness = { sigmas: [0, 0.3, 0.6], samples: 2, trainImages: 500, seed: 3 };
    const before = tf.memory().numTensors;
    await send({ type: 'flatness', runId: 'f', models: [A()], snapshots: [snapshot], flatness, testImages: 500 });
    const rows = of('flatnessRow').map((e) => e.row);
    expect(rows.map((r) => [r.label, r.tick])).toEqual([
      ['lenet5-seed1.safetensors', null],
      ['tick 40', 40],
    ]);
    for (const r of rows) {
      expect(r.result.localEnergy[0]).toBe(0);
      expect(r.result.localEnergy[2]).toBeGreaterThan(r.result.localEnergy[1]);
      expect(r.testError).toBeLessThan(0.03);
    }
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(4); // the cached train and test sets' chunks
  });

  it('cancels a running job at its next point and reports errors with the runId', async () => {
    const { send, of } = geometry((e, send) => {
      if (e.type === 'profilePoint' && e.i === 1) void send({ type: 'cancel', runId: 'x' });
    });
    await send({ type: 'init', backend: 'wasm', dataUrl: 'mnist/' });
    await send({ type: 'landscape', runId: 'x', a: A(), b: B(), points: 9, trainImages: 200, testImages: 200 });
    expect(of('cancelled')).toEqual([{ v: 1, type: 'cancelled', runId: 'x' }]);
    expect(of('profilePoint')).toHaveLength(2);
    expect(of('landscapeDone')).toHaveLength(0);
    await send({ type: 'binaryCompare', runId: 'bad', a: A(), b: B(), points: 3, trainImages: 100, testImages: 100 });
    expect(of('error').at(-1)).toMatchObject({ runId: 'bad', message: expect.stringMatching(/not a binary LeNet5/) });
    await send({ v: 1, type: 'compare', runId: 'y', a: A(), b: B(), testImages: 'all' });
    expect(of('error').at(-1)!.message).toMatch(/testImages/);
  });
});

describe('GeometryWorker training jobs (tiny settings)', () => {
  it('trains a population, sends each model, and streams member and pair rows', async () => {
    const { send, of } = geometry();
    await send({ type: 'init', backend: 'wasm', dataUrl: 'mnist/' });
    const flatness = { sigmas: [0, 0.5], samples: 1, trainImages: 300, seed: 0 };
    const cmd = { recipes: ['sgd-small', 'adam'], perRecipe: 1, epochScale: 2, seed: 7, flatness };
    await send({ type: 'population', runId: 'p', ...cmd, geodesicPoints: 3, trainImages: 300, testImages: 300 });
    expect(of('error')).toEqual([]);
    expect(of('memberTrained').map((m) => m.name)).toEqual(['sgd-b64 seed 7', 'adam-b64 seed 8']);
    expect(readLenet5(new Uint8Array(of('memberTrained')[1].bytes)).metadata.recipe).toBe('adam-b64');
    // 2 epochs of 2,000 images in batches of 64: 62 steps, reported every 50.
    expect(of('trainProgress').map((p) => p.step)).toEqual([50, 62, 50, 62]);
    const members = of('memberRow').map((e) => e.row);
    expect(members.map((m) => m.recipe)).toEqual(['sgd-b64', 'adam-b64']);
    expect(members.every((m) => m.testError < 0.5 && m.flatness.localEnergy.length === 2)).toBe(true);
    const [pair] = of('pairRow').map((e) => e.row);
    expect(pair).toMatchObject({ a: 'sgd-b64 seed 7', b: 'adam-b64 seed 8' });
    expect(pair.geodesic).toBeGreaterThan(0);
    expect(of('progress').at(-1)).toMatchObject({ done: 5, total: 5 });
  });

  it('trains the one-bend chain and sends the bend with the last evaluation', async () => {
    const { send, of } = geometry();
    await send({ type: 'init', backend: 'wasm', dataUrl: 'mnist/' });
    const cmd = { a: A(), b: B(), maxSteps: 20, evalEvery: 10, points: 3, targetError: 0 };
    await send({ type: 'chain', runId: 'ch', ...cmd, trainImages: 300, testImages: 300 });
    expect(of('error')).toEqual([]);
    const evals = of('chainEval');
    expect(evals.map((e) => [e.step, e.bend === null])).toEqual([
      [10, true],
      [20, false],
    ]);
    expect(evals[1].profile.t).toEqual([0, 0.5, 1]);
    expect(evals[1].maxTrainError).toBe(Math.max(...evals[1].profile.trainError));
    expect(readLenet5(new Uint8Array(evals[1].bend!)).metadata.chainBend).toBe('true');
  });

  it('trains two binary models, saves them, and compares them along the flip path', async () => {
    const { send, of } = geometry();
    await send({ type: 'init', backend: 'wasm', dataUrl: 'mnist/' });
    await send({ type: 'binaryTrain', runId: 'b1', seed: 1, epochs: 0.5 });
    await send({ type: 'binaryTrain', runId: 'b2', seed: 2, epochs: 0.5 });
    expect(of('error')).toEqual([]);
    const [b1, b2] = of('binaryDone');
    expect(b1.testAccuracy).toBeGreaterThan(0.6);
    expect(
      of('trainProgress')
        .filter((p) => p.runId === 'b1')
        .at(-1)!.testAccuracy,
    ).toBeGreaterThan(0.6);
    const files = [b1, b2].map((b) => ({ name: b.name, bytes: b.bytes }));
    await send({ type: 'binaryCompare', runId: 'bc', a: files[0], b: files[1], points: 3, ...{ trainImages: 300 } });
    expect(of('error').at(-1)!.message).toMatch(/testImages/);
    await send({
      type: 'binaryCompare',
      runId: 'bc',
      a: files[0],
      b: files[1],
      points: 3,
      trainImages: 300,
      testImages: 300,
    });
    const r = of('binaryCompareDone')[0].result;
    expect(r.hamming).toBeGreaterThan(0);
    expect(r.hammingAligned).toBeLessThan(r.hamming);
    expect(r.hammingFraction).toBeCloseTo(r.hamming / 61470, 9);
    expect(r.profile.t).toEqual([0, 0.5, 1]);
    expect(of('profilePoint').filter((p) => p.path === 'binary')).toHaveLength(3);
  });
});
