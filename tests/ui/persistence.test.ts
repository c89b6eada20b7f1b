import { describe, expect, it } from 'vitest';
import { Store } from '../../src/ui/state/store';
import { attachSeries } from '../../src/ui/state/seriesEffects';
import { persistRuns, type RunWriter } from '../../src/ui/storage/persistRuns';
import type { StoredRun } from '../../src/ui/storage/runStorage';
import { WriteQueue } from '../../src/ui/storage/writeQueue';
import type { PointColumns } from '../../src/worker/protocol';
import { columns, ev, runView } from './fixtures';

/** Records what the persistence subscriber writes. */
class FakeWriter implements RunWriter {
  log: Array<[string, string, unknown]> = [];
  onError = (e: Error) => void e;
  create(run: StoredRun): Promise<void> {
    this.log.push(['create', run.runId, run.state]);
    return Promise.resolve();
  }
  update(runId: string, patch: Partial<StoredRun>): void {
    this.log.push(['update', runId, patch.checkpoint ? { ...patch, checkpoint: patch.checkpoint.tick } : patch]);
  }
  appendPoints(runId: string, c: PointColumns): void {
    this.log.push(['points', runId, [c.tick[0], c.tick[c.count - 1]]]);
  }
}

function setup() {
  const store = new Store();
  const writer = new FakeWriter();
  attachSeries(store);
  persistRuns(store, writer);
  return { store, writer };
}

describe('persistence subscriber', () => {
  it('writes a new run, its layout, points, checkpoints and state, and nothing of an old run', () => {
    const { store, writer } = setup();
    store.dispatch({ type: 'runRequested', run: runView('r1'), record: { createdAt: 1, models: {} } });
    store.dispatch(ev({ type: 'runStarted', runId: 'r1', tensorNames: ['t'], groupNames: ['g'], totalTicks: 30 }));
    store.dispatch(ev({ type: 'runState', runId: 'r1', state: 'running' }));
    store.dispatch(ev({ type: 'points', runId: 'r1', columns: columns(0, 4), ticksPerSecond: 1, stepsPerSecond: 0 }));
    store.dispatch(ev({ type: 'checkpoint', runId: 'r1', tick: 4, params: new ArrayBuffer(4) }));
    store.dispatch(ev({ type: 'points', runId: 'old', columns: columns(0, 4), ticksPerSecond: 1, stepsPerSecond: 0 }));
    store.dispatch(ev({ type: 'error', scope: 'path', message: 'NaN', runId: 'r1', tick: 5, recoverable: false }));
    expect(writer.log).toEqual([
      ['create', 'r1', 'starting'],
      ['update', 'r1', { tensorNames: ['t'], groupNames: ['g'], state: 'running' }],
      ['update', 'r1', { state: 'running', lastTick: 0 }],
      ['points', 'r1', [0, 4]],
      ['update', 'r1', { checkpoint: 4, lastTick: 4 }],
      ['update', 'r1', { state: 'failed', lastTick: 4 }],
    ]);
    expect(store.series?.length).toBe(5);
  });

  it('a continued run writes into the stored run it continues, and its series continues after the checkpoint', () => {
    const { store, writer } = setup();
    store.dispatch({ type: 'runRequested', run: runView('r1'), record: { createdAt: 1, models: {} } });
    store.dispatch(ev({ type: 'runStarted', runId: 'r1', tensorNames: ['t'], groupNames: ['g'], totalTicks: 30 }));
    store.dispatch(ev({ type: 'points', runId: 'r1', columns: columns(0, 9), ticksPerSecond: 1, stepsPerSecond: 0 }));
    writer.log = [];
    store.dispatch({ type: 'runRequested', run: runView('r2', { resumedFrom: 5, storeId: 'r1' }) });
    store.dispatch(ev({ type: 'runStarted', runId: 'r2', tensorNames: ['t'], groupNames: ['g'], totalTicks: 30 }));
    store.dispatch(ev({ type: 'points', runId: 'r2', columns: columns(6, 8), ticksPerSecond: 1, stepsPerSecond: 0 }));
    expect(writer.log.map(([kind, id]) => [kind, id])).toEqual([
      ['update', 'r1'],
      ['points', 'r1'],
    ]);
    expect(Array.from(store.series!.tick.view())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('reports storage failures as errors in the state', () => {
    const { store, writer } = setup();
    writer.onError(new Error('quota exceeded'));
    expect(store.get().errors[0]).toMatchObject({
      scope: 'storage',
      message: 'could not save the run: quota exceeded',
    });
  });
});

describe('write queue', () => {
  const record = (over: Partial<StoredRun> = {}): StoredRun => ({
    runId: 'r1',
    createdAt: 1,
    config: runView('r1').config,
    state: 'running',
    lastTick: 0,
    tensorNames: [],
    groupNames: [],
    checkpoint: null,
    ...over,
  });

  it('merges patches into the whole record, so a flush needs no read, and numbers chunks in order', () => {
    const q = new WriteQueue();
    q.remember(record());
    q.append('r1', columns(0, 4));
    q.patch('r1', { checkpoint: { tick: 25, params: new ArrayBuffer(1) }, lastTick: 25 });
    q.append('r1', columns(5, 9));
    q.patch('r1', { checkpoint: { tick: 75, params: new ArrayBuffer(1) }, lastTick: 75 });
    const [w] = q.take();
    expect(w.chunks.map((c) => c.seq)).toEqual([0, 1]);
    expect(w.record).toMatchObject({ runId: 'r1', state: 'running', lastTick: 75, checkpoint: { tick: 75 } });
    expect(q.take()).toEqual([]);
    q.append('r1', columns(10, 12));
    const [next] = q.take();
    expect(next.chunks[0].seq).toBe(2);
    expect(next.record).toBeNull(); // nothing in the record changed
  });

  it('patches a run it does not know by reading it (record null, patch kept)', () => {
    const q = new WriteQueue();
    q.patch('other', { state: 'stopped' });
    expect(q.take()).toEqual([{ runId: 'other', chunks: [], record: null, patch: { state: 'stopped' } }]);
  });

  it('continues chunk numbers of a reopened run and forgets a deleted one', () => {
    const q = new WriteQueue();
    q.setNextSeq('r1', 7);
    q.append('r1', columns(0, 1));
    q.drop('r1');
    expect(q.size).toBe(0);
    q.append('r1', columns(0, 1));
    expect(q.take()[0].chunks[0].seq).toBe(0);
  });
});
