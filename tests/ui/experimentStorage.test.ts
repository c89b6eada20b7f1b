import { describe, expect, it } from 'vitest';
import { presetFor } from '../../src/core/config';
import { ExperimentStorage } from '../../src/ui/experiments/experimentStorage';
import type { ExperimentRecord } from '../../src/ui/experiments/experimentState';
import { pairWorker, type WorkerLike } from '../../src/ui/experiments/pairWorkers';
import type { FromPairWorker } from '../../src/core/experiments/pool';
import { fakeIndexedDb } from './fakeIdb';

const record = (id: string, createdAt: number): ExperimentRecord => ({
  kind: 'lowloss-experiment-record',
  version: 1,
  id,
  name: id,
  createdAt,
  plan: { mode: 'm2m', pairs: 2, epochs: 1, seedBase: 0, config: presetFor('quick', 'm2m') },
  preset: 'quick',
  workers: 2,
  status: 'done',
  pairsDone: 2,
  elapsedMs: 1,
  backend: 'wasm',
});
const text = (b: Uint8Array | null) => (b ? new TextDecoder().decode(b) : null);

describe('experiment storage (IndexedDB)', () => {
  it('lists records newest first and keeps each experiment’s files apart', async () => {
    const { factory } = fakeIndexedDb();
    const storage = new ExperimentStorage(() => factory);
    await storage.put(record('old', 1));
    await storage.put(record('new', 2));
    await storage.put({ ...record('old', 1), status: 'stopped' });
    expect((await storage.list()).map((r) => [r.id, r.status])).toEqual([
      ['new', 'done'],
      ['old', 'stopped'],
    ]);
    const a = await storage.files('new');
    const b = await storage.files('old');
    await a.write('pair-1/pair.json', JSON.stringify({ kind: 'lowloss-pair', index: 1, status: 'done' }));
    await b.write('pair-1/pair.json', JSON.stringify({ kind: 'lowloss-pair', index: 1, status: 'running' }));
    expect((await storage.pairRecords('new', 2)).map((r) => r.status)).toEqual(['done']);
    expect((await storage.pairRecords('old', 2)).map((r) => r.status)).toEqual(['running']);
    expect(await storage.readJson('new', 'summary.json')).toBeNull();
  });

  it('files: appends in order, a rewrite starts the file over, folders list their entries', async () => {
    const { factory } = fakeIndexedDb();
    const storage = new ExperimentStorage(() => factory);
    const files = await storage.files('x');
    expect(await files.read('pair-1/points.jsonl')).toBeNull();
    await files.write('pair-1/points.jsonl', '');
    await Promise.all(['a\n', 'b\n', 'c\n'].map((t) => files.append('pair-1/points.jsonl', t)));
    expect(text(await files.read('pair-1/points.jsonl'))).toBe('a\nb\nc\n');
    // A pair restarted from tick 0 rewrites its points: the old chunks are not read again.
    await files.write('pair-1/points.jsonl', 'start\n');
    await files.append('pair-1/points.jsonl', 'd\n');
    expect(text(await files.read('pair-1/points.jsonl'))).toBe('start\nd\n');
    await files.write('pair-1/snapshots/tick-000000.safetensors', new Uint8Array([1, 2, 3]));
    await files.write('pair-2/pair.json', '{}');
    await files.write('experiment.json', '{}');
    expect((await files.list('')).sort()).toEqual(['experiment.json', 'pair-1', 'pair-2']);
    expect(await files.list('pair-1')).toEqual(['points.jsonl', 'snapshots']);
    expect(await files.list('pair-1/snapshots/')).toEqual(['tick-000000.safetensors']);
    expect(Array.from((await files.read('pair-1/snapshots/tick-000000.safetensors'))!)).toEqual([1, 2, 3]);
    expect(await (await storage.files('y')).list('')).toEqual([]);
  });
});

/** A Web Worker stand-in: records what it is sent; `emit` plays an event. */
function fakeWorker() {
  const sent: Array<Record<string, unknown>> = [];
  const w: WorkerLike & { emit(data: unknown): void } = {
    postMessage: (m) => void sent.push(m as Record<string, unknown>),
    onmessage: null,
    onerror: null,
    terminate: () => undefined,
    emit: (data) => w.onmessage?.({ data } as MessageEvent),
  };
  return { w, sent };
}

describe('pair worker adapter (the core pool ↔ the versioned protocol)', () => {
  it('sends versioned commands and passes on only valid events of its own run', () => {
    const { w, sent } = fakeWorker();
    const invalid: string[] = [];
    const seen: string[] = [];
    const adapter = pairWorker(
      w,
      { runId: 'r1', experimentId: 'e', backend: 'wasm', dataUrl: '/data/' },
      { onEvent: (e) => seen.push(e.type), onInvalid: (m) => invalid.push(m) },
    );
    const pool: FromPairWorker[] = [];
    adapter.onMessage((m) => pool.push(m));
    const pair = { index: 1, startSeed: 1, destSeed: 2, config: presetFor('quick', 'm2m') };
    adapter.post({ type: 'pair', pair, epochs: 1 });
    adapter.post({ type: 'stop' });
    expect(sent.map((m) => [m.v, m.type, m.runId])).toEqual([
      [1, 'init', undefined],
      [1, 'runPair', 'r1'],
      [1, 'stop', undefined],
    ]);
    w.emit({ v: 1, type: 'pairTick', runId: 'r1', pair: 1, tick: 3, total: 10, tensorBytes: 1 });
    w.emit({ v: 1, type: 'pairTick', runId: 'r0', pair: 1, tick: 9, total: 10, tensorBytes: 1 }); // stale
    w.emit({ v: 1, type: 'pairFailed', runId: 'r1', pair: 1, message: 'boom' });
    w.emit({ v: 2, type: 'pairTick' });
    expect(pool).toEqual([
      { type: 'tick', pair: 1, tick: 3, total: 10 },
      { type: 'failed', pair: 1, message: 'boom' },
    ]);
    expect(seen).toEqual(['pairTick', 'pairFailed']);
    expect(invalid).toEqual([expect.stringMatching(/version 2/)]);
  });
});
