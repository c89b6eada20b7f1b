/**
 * Plot work (creating a plot, appending to it, redrawing it) costs milliseconds to tens of
 * milliseconds each. Work requested here runs after the next frame, each piece in a task of its own,
 * so a dozen panels updating together never add up to one long main-thread task.
 */
const queue: Array<() => void> = [];
let scheduled = false;

function runNext(): void {
  scheduled = false;
  queue.shift()?.();
  if (queue.length) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => setTimeout(runNext, 0));
}

/** Queues `work` (once: a request already waiting is not queued again); returns a cancel function. */
export function requestDraw(work: () => void): () => void {
  if (!queue.includes(work)) queue.push(work);
  schedule();
  return () => {
    const i = queue.indexOf(work);
    if (i >= 0) queue.splice(i, 1);
  };
}
