import { describe, expect, it } from 'vitest';
import { Outbox } from '../../src/ui/outbox';

/** An outbox whose "frame drawn" callbacks the test calls by hand. */
function outbox() {
  const posted: string[] = [];
  const frames: Array<() => void> = [];
  const waits: number[] = [];
  const box = new Outbox<string>(
    (m) => posted.push(m),
    (n, cb) => {
      waits.push(n);
      frames.push(cb);
    },
  );
  return { box, posted, frames, waits };
}

describe('Outbox (a run starts once its panels are drawn)', () => {
  it('posts at once when nothing is held', () => {
    const { box, posted } = outbox();
    box.send('loadModel');
    expect(posted).toEqual(['loadModel']);
  });

  it('holds a message until the page has drawn, and what follows it queues behind, in order', () => {
    const { box, posted, frames, waits } = outbox();
    box.sendWhenDrawn('startPath', 5);
    expect(waits).toEqual([5]);
    box.send('pause');
    box.send('step');
    expect(posted).toEqual([]);
    expect(box.pending).toBe(3);
    frames.shift()!();
    expect(posted).toEqual(['startPath', 'pause', 'step']);
    box.send('resume');
    expect(posted.at(-1)).toBe('resume');
  });

  it('a second held message while one waits joins the queue, not a second wait', () => {
    const { box, posted, frames } = outbox();
    box.sendWhenDrawn('startPath r1');
    box.send('stop');
    box.sendWhenDrawn('startPath r2');
    expect(frames).toHaveLength(1);
    frames[0]();
    expect(posted).toEqual(['startPath r1', 'stop', 'startPath r2']);
  });

  it('drops what is held for a worker that is gone, and a stale frame releases nothing new', () => {
    const { box, posted, frames } = outbox();
    box.sendWhenDrawn('startPath old');
    box.clear();
    box.sendWhenDrawn('startPath new');
    frames[0](); // the cleared list's frame
    expect(posted).toEqual([]);
    frames[1]();
    expect(posted).toEqual(['startPath new']);
  });
});
