import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerEngine, type EngineHost } from '../../src/worker/engine';
import { parseFromWorker, parseToWorker, type FromWorker } from '../../src/worker/protocol';
import { presetFor, validateConfig } from '../../src/core/config';
import { takeSplit } from '../../src/core/data/mnist';
import { mnist } from '../helpers';
import { unpackPoints } from '../../src/core/llpf/pathPoint';

const fixture = (n: string) => {
  const b = readFileSync(join(__dirname, '../fixtures', n));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

/** The worker's handler, driven directly with a stubbed post (no Worker needed). */
function engine() {
  const events: FromWorker[] = [];
  const host: EngineHost = {
    probeBackends: async () => [
      { name: 'wasm', available: true, software: false, detail: 'test' },
      { name: 'cpu', available: true, software: false, detail: 'test' },
    ],
    loadMnist: async () => ({ train: takeSplit(mnist().train, 3000), test: mnist().test }),
    post: (msg) => events.push(parseFromWorker(msg)), // every event must pass the UI's validation
    crossOriginIsolated: false,
  };
  const e = new WorkerEngine(host);
  const send = (msg: object) => e.handle({ v: 1, ...msg });
  return {
    e,
    events,
    send,
    of: <T extends FromWorker['type']>(t: T) =>
      events.filter((x): x is Extract<FromWorker, { type: T }> => x.type === t),
  };
}

describe('protocol validation', () => {
  it('rejects unknown types, wrong versions and bad payloads', () => {
    expect(() => parseToWorker({ v: 2, type: 'pause' })).toThrow(/protocol version 2/);
    expect(() => parseToWorker({ v: 1, type: 'explode' })).toThrow(/unknown message type/);
    expect(() => parseToWorker({ v: 1, type: 'trainEndpoint', slot: 'C', seed: 1, epochs: 1, augment: false })).toThrow(
      /slot A\|B/,
    );
    expect(() =>
      parseFromWorker({ v: 1, type: 'points', runId: 'x', columns: { count: 2, tick: new Float64Array(1) } }),
    ).toThrow(/malformed columns/);
    expect(parseToWorker({ v: 1, type: 'stop' }).type).toBe('stop');
  });
});

describe('WorkerEngine', () => {
  it('answers a malformed message with a protocol error event', async () => {
    const { e, of } = engine();
    await e.handle({ type: 'init' });
    expect(of('error')[0]).toMatchObject({ scope: 'protocol', recoverable: false });
  });

  it('loads models, rejects a broken file without changing state, and streams an M2M path in batches', async () => {
    const { send, of, events } = engine();
    await send({ type: 'init', backend: 'wasm', dataUrl: '' });
    expect(of('ready')[0].backend).toBe('wasm');
    await send({ type: 'loadData' });
    await send({ type: 'loadModel', slot: 'A', name: 'a', bytes: fixture('lenet5-1epoch-seed1.safetensors') });
    await send({
      type: 'loadModel',
      slot: 'B',
      name: 'broken',
      bytes: fixture('lenet5-1epoch-seed2.safetensors').slice(0, 100),
    });
    expect(of('error').at(-1)).toMatchObject({ scope: 'model', recoverable: true });
    expect(of('model').map((m) => m.info.slot)).toEqual(['A']);
    await send({ type: 'startPath', runId: 'r0', config: validateConfig({ ...presetFor('quick', 'm2m'), ticks: 3 }) });
    expect(of('error').at(-1)!.message).toMatch(/model B is missing/);
    await send({ type: 'loadModel', slot: 'B', name: 'b', bytes: fixture('lenet5-1epoch-seed2.safetensors') });
    const config = validateConfig({
      ...presetFor('quick', 'm2m'),
      ticks: 6,
      roundsMin: 1,
      roundsMax: 1,
      snapshotEvery: 3,
      evalEvery: 3,
      evalSubset: 200,
    });
    await send({ type: 'startPath', runId: 'r1', config });
    const points = of('points').filter((p) => p.runId === 'r1');
    const ticks = points.flatMap((p) => Array.from(p.columns.tick));
    expect(ticks).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const last = points.at(-1)!.columns;
    expect(last.tensorMetrics.length).toBe(last.count * 10 * 4);
    expect(of('checkpoint').map((c) => c.tick)).toEqual([0, 3, 6]);
    expect(
      of('runState')
        .filter((s) => s.runId === 'r1')
        .map((s) => s.state),
    ).toEqual(['running', 'done']);
    expect(events.some((x) => x.type === 'error' && x.message.includes('r1'))).toBe(false);
  });

  it('builds the data set only once the backend runs, when init and loadData arrive together (as the UI sends them)', async () => {
    // The worker does not wait for one message before taking the next. The UI posts init and loadData back to back;
    // when MNIST arrived before the backend had started, the test set was built on an uninitialised backend and the
    // app showed "MNIST error: Backend 'wasm' has not yet been initialized" (one page load in three, CI of stop 28).
    const events: FromWorker[] = [];
    const host: EngineHost = {
      probeBackends: async () => [{ name: 'wasm', available: true, software: false, detail: 'test' }],
      prepareBackend: () => new Promise((r) => setTimeout(() => r({ threads: false }), 100)),
      loadMnist: async () => ({ train: takeSplit(mnist().train, 100), test: takeSplit(mnist().test, 100) }),
      post: (msg) => events.push(parseFromWorker(msg)),
      crossOriginIsolated: false,
    };
    const e = new WorkerEngine(host);
    const init = e.handle({ v: 1, type: 'init', backend: 'wasm', dataUrl: '' });
    const load = e.handle({ v: 1, type: 'loadData' });
    const model = e.handle({
      v: 1,
      type: 'loadModel',
      slot: 'A',
      name: 'a',
      bytes: fixture('lenet5-1epoch-seed1.safetensors'),
    });
    await Promise.all([init, load, model]);
    const order = events.map((x) => x.type);
    expect(order.filter((t) => t !== 'model')).toEqual(['ready', 'dataLoaded']); // no error, data after the backend
    expect(order.indexOf('model')).toBeGreaterThan(order.indexOf('ready'));
  });

  it('says that init must come first, rather than touching an unstarted backend', async () => {
    const { send, of } = engine();
    await send({ type: 'loadData' });
    await send({ type: 'loadModel', slot: 'A', name: 'a', bytes: fixture('lenet5-1epoch-seed1.safetensors') });
    await send({ type: 'stop' }); // a control command needs no backend
    expect(of('error').map((x) => [x.scope, x.message])).toEqual([
      ['data', 'the engine is not initialised: `init` must come first'],
      ['model', 'the engine is not initialised: `init` must come first'],
    ]);
  });

  it('stop ends a run between ticks', async () => {
    const { send, of } = engine();
    await send({ type: 'init', backend: 'wasm', dataUrl: '' });
    await send({ type: 'loadData' });
    await send({ type: 'loadModel', slot: 'A', name: 'a', bytes: fixture('lenet5-1epoch-seed1.safetensors') });
    const run = send({
      type: 'startPath',
      runId: 'r2',
      config: validateConfig({
        ...presetFor('quick', 'm2o'),
        ticks: 10000,
        roundsMin: 0,
        roundsMax: 0,
        snapshotEvery: 0,
      }),
    });
    while (!of('points').some((p) => p.columns.tick[p.columns.count - 1] > 20))
      await new Promise((r) => setTimeout(r, 20));
    await send({ type: 'stop' });
    await run;
    expect(of('runState').map((s) => s.state)).toEqual(['running', 'stopped']);
    const ticks = of('points').flatMap((p) => Array.from(p.columns.tick));
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks.at(-1)).toBeLessThan(10000);
    expect(ticks).toEqual(ticks.map((_, i) => i)); // every tick, in order
    // Fast ticks travel in batches (at most one message per 100 ms).
    expect(of('points').length).toBeLessThan(ticks.length / 2);
  });
});

describe('WorkerEngine on the session driver', () => {
  const pathConfig = () =>
    validateConfig({
      ...presetFor('quick', 'm2m'),
      ticks: 6,
      roundsMin: 2,
      roundsMax: 2,
      snapshotEvery: 3,
      evalEvery: 3,
      evalSubset: 200,
    });
  const points = (of: ReturnType<typeof engine>['of'], runId: string) =>
    of('points')
      .filter((p) => p.runId === runId)
      .flatMap((p) => unpackPoints(p.columns))
      .map((p) => ({ ...p, wallTimeMs: 0, timing: null }));

  async function ready() {
    const eng = engine();
    await eng.send({ type: 'init', backend: 'wasm', dataUrl: '' });
    await eng.send({ type: 'loadData' });
    await eng.send({ type: 'loadModel', slot: 'A', name: 'a', bytes: fixture('lenet5-1epoch-seed1.safetensors') });
    await eng.send({ type: 'loadModel', slot: 'B', name: 'b', bytes: fixture('lenet5-1epoch-seed2.safetensors') });
    return eng;
  }

  it('a run continued from a checkpoint event (as after a reload) repeats the points bit for bit', async () => {
    const a = await ready();
    await a.send({ type: 'startPath', runId: 'straight', config: pathConfig() });
    const cp = a.of('checkpoint').find((c) => c.tick === 3)!;
    const b = await ready(); // a fresh worker: only the checkpoint's bytes survive
    await b.send({
      type: 'startPath',
      runId: 'continued',
      config: pathConfig(),
      resume: { tick: 3, params: cp.params },
    });
    expect(points(b.of, 'continued').map((p) => p.tick)).toEqual([4, 5, 6]);
    expect(points(b.of, 'continued')).toEqual(points(a.of, 'straight').slice(4));
  });

  it('pause holds the run between ticks, step advances one tick, resume finishes it', async () => {
    const { send, of } = await ready();
    const config = validateConfig({
      ...pathConfig(),
      ticks: 400,
      evalEvery: 400,
      roundsMin: 0,
      roundsMax: 0,
      snapshotEvery: 0,
    });
    const run = send({ type: 'startPath', runId: 'p', config });
    const lastTick = () => Math.max(-1, ...of('points').flatMap((p) => Array.from(p.columns.tick)));
    while (lastTick() < 5) await new Promise((r) => setTimeout(r, 5));
    await send({ type: 'pause' });
    while (!of('runState').some((s) => s.state === 'paused')) await new Promise((r) => setTimeout(r, 5));
    const held = lastTick();
    await new Promise((r) => setTimeout(r, 100));
    expect(lastTick()).toBe(held);
    await send({ type: 'step' });
    while (of('runState').filter((s) => s.state === 'paused').length < 2) await new Promise((r) => setTimeout(r, 5));
    expect(lastTick()).toBe(held + 1);
    await send({ type: 'resume' });
    await run;
    expect(lastTick()).toBe(400);
    expect(of('runState').map((s) => s.state)).toEqual(['running', 'paused', 'paused', 'running', 'done']);
  });

  it('trains an endpoint through a session and reports progress; stop ends it with a train error', async () => {
    const { send, of } = await ready();
    await send({ type: 'trainEndpoint', slot: 'B', seed: 4, epochs: 60 / 46, augment: false, testSamples: 200 });
    expect(of('trainProgress').at(-1)).toMatchObject({ slot: 'B', step: 60, totalSteps: 60 });
    expect(of('model').at(-1)!.info).toMatchObject({ slot: 'B', name: 'trained (seed 4, 1.3 epochs)' });
    const job = send({ type: 'trainEndpoint', slot: 'A', seed: 5, epochs: 5, augment: false, testSamples: 200 });
    while (!of('trainProgress').some((p) => p.slot === 'A')) await new Promise((r) => setTimeout(r, 5));
    await send({ type: 'stop' });
    await job;
    expect(of('error').at(-1)).toMatchObject({ scope: 'train', message: 'training of model A stopped' });
  });
});
