import { describe, expect, it, vi } from 'vitest';
import { afterFrames } from '../../src/ui/frames';

describe('afterFrames (work after the frame that shows a change)', () => {
  it('afterFrames waits for that many frames (or a fallback timer each, where no frame comes)', () => {
    vi.useFakeTimers();
    try {
      let called = 0;
      afterFrames(0, () => called++);
      expect(called).toBe(1);
      afterFrames(2, () => called++); // Node has no requestAnimationFrame: two fallbacks of 100 ms
      vi.advanceTimersByTime(199);
      expect(called).toBe(1);
      vi.advanceTimersByTime(1);
      expect(called).toBe(2);
      const cancel = afterFrames(2, () => called++);
      vi.advanceTimersByTime(150);
      cancel(); // between the two frames
      vi.advanceTimersByTime(500);
      expect(called).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
