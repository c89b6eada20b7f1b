/**
 * Creating a plotly plot costs tens of milliseconds (more with software WebGL). Panels queue their
 * creation here and each runs in its own task, one per frame, so mounting twelve panels at the
 * start of a run does not block the main thread in one long task.
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

/** Runs `create` in a task of its own; returns a function that cancels it if it has not run. */
export function queuePlotCreation(create: () => void): () => void {
  queue.push(create);
  schedule();
  return () => {
    const i = queue.indexOf(create);
    if (i >= 0) queue.splice(i, 1);
  };
}
