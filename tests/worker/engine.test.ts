import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerEngine, type EngineHost } from '../../src/worker/engine';
import { parseFromWorker, parseToWorker, type FromWorker } from '../../src/worker/protocol';
import { presetFor, validateConfig } from '../../src/core/config';
import { takeSplit } from '../../src/core/data/mnist';
import { mnist } from '../helpers';

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
  return { e, events, send, of: <T extends FromWorker['type']>(t: T) => events.filter((x): x is Extract<FromWorker, { type: T }> => x.type === t) };
}

describe('protocol validation', () => {
  it('rejects unknown types, wrong versions and bad payloads', () => {
    expect(() => parseToWorker({ v: 2, type: 'pause' })).toThrow(/protocol version 2/);
    expect(() => parseToWorker({ v: 1, type: 'explode' })).toThrow(/unknown message type/);
    expect(() => parseToWorker({ v: 1, type: 'trainEndpoint', slot: 'C', seed: 1, epochs: 1, augment: false })).toThrow(/slot A\|B/);
    expect(() => parseFromWorker({ v: 1, type: 'points', runId: 'x', columns: { count: 2, tick: new Float64Array(1) } })).toThrow(/malformed columns/);
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
    await send({ type: 'loadModel', slot: 'B', name: 'broken', bytes: fixture('lenet5-1epoch-seed2.safetensors').slice(0, 100) });
    expect(of('error').at(-1)).toMatchObject({ scope: 'model', recoverable: true });
    expect(of('model').map((m) => m.info.slot)).toEqual(['A']);
    await send({ type: 'startPath', runId: 'r0', config: validateConfig({ ...presetFor('quick', 'm2m'), ticks: 3 }) });
    expect(of('error').at(-1)!.message).toMatch(/model B is missing/);
    await send({ type: 'loadModel', slot: 'B', name: 'b', bytes: fixture('lenet5-1epoch-seed2.safetensors') });
    const config = validateConfig({ ...presetFor('quick', 'm2m'), ticks: 6, roundsMin: 1, roundsMax: 1, snapshotEvery: 3, evalEvery: 3, evalSubset: 200 });
    await send({ type: 'startPath', runId: 'r1', config });
    const points = of('points').filter((p) => p.runId === 'r1');
    const ticks = points.flatMap((p) => Array.from(p.columns.tick));
    expect(ticks).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const last = points.at(-1)!.columns;
    expect(last.tensorMetrics.length).toBe(last.count * 10 * 4);
    expect(of('checkpoint').map((c) => c.tick)).toEqual([0, 3, 6]);
    expect(of('runState').filter((s) => s.runId === 'r1').map((s) => s.state)).toEqual(['running', 'done']);
    expect(events.some((x) => x.type === 'error' && x.message.includes('r1'))).toBe(false);
  });

  it('stop ends a run between ticks', async () => {
    const { send, of } = engine();
    await send({ type: 'init', backend: 'wasm', dataUrl: '' });
    await send({ type: 'loadData' });
    await send({ type: 'loadModel', slot: 'A', name: 'a', bytes: fixture('lenet5-1epoch-seed1.safetensors') });
    const run = send({ type: 'startPath', runId: 'r2', config: validateConfig({ ...presetFor('quick', 'm2o'), ticks: 10000, roundsMin: 0, roundsMax: 0, snapshotEvery: 0 }) });
    while (!of('points').some((p) => p.columns.tick[p.columns.count - 1] > 20)) await new Promise((r) => setTimeout(r, 20));
    await send({ type: 'stop' });
    await run;
    expect(of('runState').map((s) => s.state)).toEqual(['running', 'stopped']);
    const ticks = of('points').flatMap((p) => Array.from(p.columns.tick));
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks.at(-1)).toBeLessThan(10000);
    expect(ticks).toEqual(ticks.map((_, i) => i)); // every tick, in order
    expect(of('points').length).toBeLessThan(ticks.length / 2); // fast ticks travel in batches (≤ one message per 100 ms)
  });
});
