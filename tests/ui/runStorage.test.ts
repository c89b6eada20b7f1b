import { describe, expect, it } from 'vitest';
import { RunStorage, type StoredRun } from '../../src/ui/storage/runStorage';
import { columns, runView } from './fixtures';
import { fakeIndexedDb } from './fakeIdb';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const record = (): StoredRun => ({
  runId: 'r1',
  createdAt: 1,
  config: runView('r1').config,
  state: 'running',
  lastTick: 0,
  tensorNames: ['t'],
  groupNames: ['g'],
  checkpoint: null,
});
const checkpoint = (tick: number) => ({ checkpoint: { tick, params: new ArrayBuffer(8) }, lastTick: tick });
const storedTick = (db: ReturnType<typeof fakeIndexedDb>['db']) =>
  (db.all('runs')[0]?.checkpoint as { tick: number } | null)?.tick ?? null;

describe('run storage (IndexedDB writes)', () => {
  it('batches points, but commits a checkpoint at once, with the points before it', async () => {
    const { factory, db } = fakeIndexedDb();
    const storage = new RunStorage(() => factory, 300);
    await storage.create(record(), {});
    storage.appendPoints('r1', columns(0, 24));
    await sleep(30);
    expect(db.all('chunks')).toHaveLength(0); // points wait for the batch
    storage.update('r1', checkpoint(25));
    await sleep(30); // far less than the 300 ms batch
    expect(storedTick(db)).toBe(25);
    expect(db.all('chunks')).toHaveLength(1);
  });

  it('keeps the newest checkpoint: later writes of the same run never bring an older one back', async () => {
    const { factory, db } = fakeIndexedDb();
    const storage = new RunStorage(() => factory, 300);
    await storage.create(record(), {});
    for (const tick of [25, 50, 75]) {
      storage.appendPoints('r1', columns(tick - 24, tick));
      storage.update('r1', checkpoint(tick));
    }
    storage.update('r1', { state: 'paused', lastTick: 80 });
    storage.appendPoints('r1', columns(76, 80));
    await storage.flush();
    const [run] = await storage.list();
    expect(run.checkpoint?.tick).toBe(75);
    expect(run.state).toBe('paused');
    expect(db.all('chunks').map((c) => c.seq)).toEqual([0, 1, 2, 3]);
  });

  it('writes what is pending when the page is hidden, starting the transaction in that same task', async () => {
    const { factory, db } = fakeIndexedDb();
    const storage = new RunStorage(() => factory, 300);
    const page = new EventTarget();
    storage.flushOnPageHide(page as unknown as Window);
    await storage.create(record(), {});
    storage.appendPoints('r1', columns(0, 9));
    const before = db.transactions.length;
    page.dispatchEvent(new Event('pagehide'));
    expect(db.transactions.length).toBe(before + 1); // no await between the event and the write
    expect(db.all('chunks')).toHaveLength(1);
  });

  it('creates a run a task after the request (which mounts its panels), on the chain before any update', async () => {
    const { factory, db } = fakeIndexedDb();
    const storage = new RunStorage(() => factory, 300);
    await storage.create(record(), {}); // opens the database
    const before = db.transactions.length;
    const created = storage.create({ ...record(), runId: 'r2' }, { A: { name: 'a', bytes: new ArrayBuffer(16) } });
    storage.update('r2', checkpoint(5));
    await Promise.resolve();
    expect(db.transactions.length).toBe(before); // not in the request's task
    await created;
    await sleep(10);
    expect(db.transactions.slice(before)).toEqual([
      ['runs', 'models'],
      ['runs', 'chunks'],
    ]);
    expect((db.all('models') as Array<{ runId: string }>).map((m) => m.runId)).toContain('r2');
  });

  it('a run created just before the page goes away is stored with its models', async () => {
    const { factory, db } = fakeIndexedDb();
    const storage = new RunStorage(() => factory, 300);
    const page = new EventTarget();
    storage.flushOnPageHide(page as unknown as Window);
    await storage.create(record(), {}); // opens the database
    const before = db.transactions.length;
    void storage.create({ ...record(), runId: 'r2' }, { A: { name: 'a', bytes: new ArrayBuffer(16) } });
    storage.appendPoints('r2', columns(0, 9));
    page.dispatchEvent(new Event('pagehide'));
    // Both in the event's task: the create first, then the points.
    expect(db.transactions.slice(before)).toEqual([
      ['runs', 'models'],
      ['runs', 'chunks'],
    ]);
    await sleep(10);
    expect(db.transactions.length).toBe(before + 2); // the deferred create found it done
    expect((db.all('models') as Array<{ runId: string }>).map((m) => m.runId)).toContain('r2');
  });
});
