/**
 * Plot work (creating a plot, appending to it, redrawing it) costs milliseconds to tens of
 * milliseconds each. Work requested here runs after the next frame, each piece in a task of its own,
 * so a dozen panels updating together never add up to one long main-thread task.
 */
const queue: Array<() => void> = [];
const labels = new WeakMap<() => void, string>();
let scheduled = false;

function runNext(): void {
  scheduled = false;
  const work = queue.shift();
  if (work) {
    const label = labels.get(work) ?? 'plot';
    const t0 = performance.now();
    try {
      work();
    } catch (e) {
      // One panel's failed draw (a Plotly error) is logged; the other panels keep drawing.
      console.error(`plot draw failed (${label}):`, e);
    }
    // A User Timing measure per piece (`draw <label>`), so a trace or the bench can tell whose task was long.
    performance.measure(`draw ${label}`, { start: t0, end: performance.now() });
  }
  if (queue.length) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => setTimeout(flushLayout, 0));
}

/**
 * Lays the page out in a task of its own before a draw: a draw's first text measurement forces the
 * layout React's latest update left dirty (tens of ms after a run's panels mount), and paid inside
 * the draw it made a long task of two short ones (bench/longTaskTrace.ts).
 */
function flushLayout(): void {
  if (typeof document !== 'undefined') void document.documentElement.getBoundingClientRect();
  setTimeout(runNext, 0);
}

/**
 * Queues `work` (once: a request already waiting is not queued again), measured as `draw <label>`;
 * returns a cancel function.
 */
export function requestDraw(work: () => void, label?: string): () => void {
  if (label) labels.set(work, label);
  if (!queue.includes(work)) queue.push(work);
  schedule();
  return () => {
    const i = queue.indexOf(work);
    if (i >= 0) queue.splice(i, 1);
  };
}
