import { describe, expect, it } from 'vitest';
import { Session, SessionControl, type SessionEvent } from '../../../src/core/session';

type Ev = { type: 'seen'; n: number };

/** A producer of the numbers 1..n that records whether it was closed. */
function counting(n: number, log: string[], failAt = -1) {
  return (async function* () {
    try {
      for (let i = 1; i <= n; i++) {
        if (i === failAt) throw Object.assign(new RangeError(`bad step ${i}`), { tick: i });
        log.push(`produce ${i}`);
        yield i;
      }
    } finally {
      log.push('closed');
    }
  })();
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('Session driver', () => {
  it('runs observers in order for every step and reports progress, state and done', async () => {
    const log: string[] = [];
    const s = new Session<number, Ev>({ producer: counting(3, log), position: (n) => n, total: 3 });
    s.observe((n) => void log.push(`first ${n}`)).observe((n, emit) => emit({ type: 'seen', n }));
    const events: SessionEvent<Ev>[] = [];
    s.on((e) => events.push(e));
    expect(await s.run()).toBe('done');
    expect(log).toEqual(['produce 1', 'first 1', 'produce 2', 'first 2', 'produce 3', 'first 3', 'closed']);
    expect(events.map((e) => e.type)).toEqual([
      'state',
      'seen',
      'progress',
      'seen',
      'progress',
      'seen',
      'progress',
      'state',
      'done',
    ]);
    expect(events.at(-2)).toEqual({ type: 'state', state: 'done' });
    expect(events.at(-1)).toEqual({ type: 'done', status: 'done', at: 3 });
    await expect(s.run()).rejects.toThrow(/runs once/);
  });

  it('pause holds between steps, step runs exactly one, resume continues, stop closes the producer', async () => {
    const log: string[] = [];
    const control = new SessionControl();
    const s = new Session<number, Ev>({
      producer: counting(100, log),
      position: (n) => n,
      total: 100,
      control,
      yieldToHost: tick,
    });
    const states: string[] = [];
    let seen = 0;
    s.on((e) => (e.type === 'state' ? states.push(e.state) : e.type === 'progress' && (seen = e.done)));
    s.observe((n) => {
      if (n === 2) control.pause();
    });
    const done = s.run();
    for (let i = 0; i < 20; i++) await tick();
    expect(seen).toBe(2);
    control.step();
    for (let i = 0; i < 20; i++) await tick();
    expect(seen).toBe(3);
    control.resume();
    while (seen < 10) await tick();
    control.stop();
    expect(await done).toBe('stopped');
    expect(states.slice(0, 4)).toEqual(['running', 'paused', 'paused', 'running']);
    expect(states.at(-1)).toBe('stopped');
    expect(log.at(-1)).toBe('closed');
    expect(seen).toBeLessThan(100);
  });

  it('a failing producer ends the session with an error event that keeps its class and position', async () => {
    const log: string[] = [];
    const s = new Session<number, Ev>({ producer: counting(5, log, 3), position: (n) => n, total: 5 });
    const events: SessionEvent<Ev>[] = [];
    s.on((e) => events.push(e));
    expect(await s.run()).toBe('failed');
    const err = events.find((e) => e.type === 'error') as Extract<SessionEvent<Ev>, { type: 'error' }>;
    expect(err.error).toBeInstanceOf(RangeError);
    expect(err.at).toBe(3);
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'failed' });
    expect(log.at(-1)).toBe('closed');
  });
});
