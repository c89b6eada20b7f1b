/** How long to wait for a frame that a hidden page never draws, ms. */
const FRAME_OR_MS = 100;

/**
 * Calls back after the next frame is drawn: in a task queued from its animation-frame callback (or after
 * FRAME_OR_MS, for a page that draws none). Work that would otherwise lengthen the task that changed the page
 * (a mount's layout, focus, a job's start) runs once the change is on screen. Returns a cancel function.
 */
export function afterNextFrame(callback: () => void): () => void {
  let done = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const once = () => {
    if (done) return;
    done = true;
    clearTimeout(fallback);
    clearTimeout(timer);
    callback();
  };
  const fallback = setTimeout(once, FRAME_OR_MS);
  const frame =
    typeof requestAnimationFrame === 'function'
      ? requestAnimationFrame(() => (timer = setTimeout(once, 0)))
      : undefined;
  return () => {
    done = true;
    clearTimeout(fallback);
    clearTimeout(timer);
    if (frame !== undefined) cancelAnimationFrame(frame);
  };
}

/** Calls back after `count` frames are drawn (afterNextFrame, `count` times); returns a cancel function. */
export function afterFrames(count: number, callback: () => void): () => void {
  if (count <= 0) {
    callback();
    return () => undefined;
  }
  let cancel = afterNextFrame(() => (cancel = afterFrames(count - 1, callback)));
  return () => cancel();
}
