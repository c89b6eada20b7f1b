/// <reference types="vite/client" />
// The controller reads import.meta.env.BASE_URL (Vite); the Node test program needs its types.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PairRecord } from '../../src/core/experiments/pairRun';
import { ExperimentController } from '../../src/ui/experiments/experimentController';
import { ExperimentStorage } from '../../src/ui/experiments/experimentStorage';
import { ExperimentsStore } from '../../src/ui/experiments/experimentsStore';
import type { WorkerLike } from '../../src/ui/experiments/pairWorkers';
import { fakeIndexedDb } from './fakeIdb';
import { pairRecordOf } from './fixtures';

type Cmd = Record<string, unknown> & { type: string };

/** Web Workers as the controller sees them: each records its commands; `emit` plays an event. */
function workers() {
  const all: Array<WorkerLike & { sent: Cmd[]; emit(data: object): void }> = [];
  const spawn = (): WorkerLike => {
    const w = {
      sent: [] as Cmd[],
      postMessage: (m: unknown) => void w.sent.push(m as Cmd),
      onmessage: null as ((e: MessageEvent) => void) | null,
      onerror: null as ((e: ErrorEvent) => void) | null,
      terminate: () => undefined,
      emit: (data: object) => w.onmessage?.({ data: { v: 1, ...data } } as MessageEvent),
    };
    all.push(w);
    return w;
  };
  /** The pair workers' runPair commands so far: [worker, pair index, runId]. */
  const runs = () =>
    all.flatMap((w) =>
      w.sent
        .filter((m) => m.type === 'runPair')
        .map((m) => ({ w, pair: (m.pair as { index: number }).index, runId: m.runId as string })),
    );
  return { spawn, runs };
}

const settle = () => new Promise((r) => setTimeout(r, 20)); // the fake IndexedDB completes in later tasks

/** One page's controller over the browser's storage; `leave` fires the page's pagehide. */
function page(storage: ExperimentStorage) {
  const store = new ExperimentsStore();
  const w = workers();
  let leave: (leaving: boolean) => void = () => undefined;
  const c = new ExperimentController(
    store,
    storage,
    w.spawn,
    () => 0,
    (l) => (leave = l),
  );
  return { store, c, ...w, leave: () => leave(true) };
}

const form = { mode: 'm2m' as const, pairs: 3, epochs: 0.05, preset: 'quick' as const, seedBase: 0, ticks: 10 };

describe('experiment controller: a reload in the middle of a run (issue #15)', () => {
  beforeEach(() => vi.stubGlobal('location', { search: '?backend=wasm', href: 'http://localhost/' }));
  afterEach(() => vi.unstubAllGlobals());

  it('does not record a failure of the unload as the pair’s; after the reload Continue runs every pair not done', async () => {
    const storage = new ExperimentStorage(() => fakeIndexedDb().factory);
    const one = page(storage);
    await one.c.start({ ...form, workers: 2 });
    const id = one.store.get().current!.id;
    const files = await storage.files(id);
    const record = (index: number, status: PairRecord['status'], ticksDone: number) =>
      pairRecordOf(index, status, ticksDone, { pathMs: 5 });
    // What the workers do: pair 1 completes (its pair.json says done), pair 2 is at tick 4, pair 3 starts.
    const [a, b] = one.runs();
    expect([a.pair, b.pair]).toEqual([1, 2]);
    await files.write('pair-1/pair.json', JSON.stringify(record(1, 'done', 10)));
    a.w.emit({ type: 'pairDone', runId: a.runId, pair: 1, record: record(1, 'done', 10) });
    await files.write('pair-2/pair.json', JSON.stringify(record(2, 'running', 4)));
    b.w.emit({ type: 'pairTick', runId: b.runId, pair: 2, tick: 4, total: 10, tensorBytes: 1 });
    const c3 = one.runs().find((r) => r.pair === 3)!;
    expect(c3.w).toBe(a.w); // the worker that finished pair 1 took the next
    // The page goes away: the unload aborts pair 3's MNIST download.
    one.leave();
    c3.w.emit({ type: 'pairFailed', runId: c3.runId, pair: 3, message: 'Failed to fetch' });
    expect(one.store.get().pairs[3]).toMatchObject({ phase: 'stopped', error: expect.stringMatching(/^interrupted/) });
    await settle();

    // The reloaded page reopens the experiment stopped, and Continue runs pairs 2 and 3 only.
    const two = page(storage);
    await two.c.init();
    const s = two.store.get();
    expect(s.current).toMatchObject({ id, status: 'stopped', pairsDone: 1 });
    expect(Object.values(s.pairs).map((p) => p.phase)).toEqual(['done', 'stopped', 'queued']);
    two.c.continue();
    const again = two.runs();
    expect(again.map((r) => r.pair)).toEqual([2, 3]);
    for (const r of again)
      r.w.emit({ type: 'pairDone', runId: r.runId, pair: r.pair, record: record(r.pair, 'done', 10) });
    await settle();
    expect(two.store.get().current).toMatchObject({ status: 'done', pairsDone: 3 });
    expect(two.store.get().errors).toEqual([]);
    expect((await storage.list())[0]).toMatchObject({ id, status: 'done', pairsDone: 3 });
  });

  it('a real failure (NaN loss, a download that failed every try) shows as failed with its message', async () => {
    const storage = new ExperimentStorage(() => fakeIndexedDb().factory);
    const one = page(storage);
    await one.c.start({ ...form, pairs: 2, workers: 2 });
    const [a, b] = one.runs();
    const failed = { kind: 'lowloss-pair', version: 1, index: 1, status: 'failed', ticksDone: 7, pathMs: 1 };
    a.w.emit({ type: 'pairDone', runId: a.runId, pair: 1, record: { ...failed, error: 'loss is NaN at tick 7' } });
    const why = 'could not load train-images-idx3-ubyte after 3 tries (Failed to fetch): the network failed';
    b.w.emit({ type: 'pairFailed', runId: b.runId, pair: 2, message: why });
    await settle();
    const s = one.store.get();
    expect(s.current?.status).toBe('failed');
    expect([s.pairs[1], s.pairs[2]].map((p) => [p.phase, p.error])).toEqual([
      ['failed', 'loss is NaN at tick 7'],
      ['failed', why],
    ]);
    // Continue tries both again.
    one.c.continue();
    expect(
      one
        .runs()
        .slice(2)
        .map((r) => r.pair),
    ).toEqual([1, 2]);
  });
});
