import { requestDraw } from './drawScheduler';

/**
 * Plots off screen wait: a draw requested for an element outside the viewport (with a margin) is
 * kept and runs when the element scrolls into view. A Plotly redraw costs tens of milliseconds on the
 * main thread whether or not anyone sees it, and a page of ten small PCA panels redrawn on every
 * snapshot filled the demo with long tasks (bench/longTaskTrace.ts). Without IntersectionObserver
 * (tests, old browsers) every draw runs.
 */
const MARGIN = '300px';

interface Watched {
  visible: boolean;
  pending: { work: () => void; label: string } | null;
  cancel: (() => void) | null;
}

const watched = new WeakMap<Element, Watched>();
let observer: IntersectionObserver | null = null;

function observe(el: Element): Watched {
  let w = watched.get(el);
  if (w) return w;
  w = { visible: typeof IntersectionObserver === 'undefined', pending: null, cancel: null };
  watched.set(el, w);
  observer ??=
    typeof IntersectionObserver === 'undefined'
      ? null
      : new IntersectionObserver(
          (entries) => {
            for (const e of entries) {
              const s = watched.get(e.target);
              if (!s) continue;
              s.visible = e.isIntersecting;
              if (s.visible && s.pending) {
                const { work, label } = s.pending;
                s.pending = null;
                s.cancel = requestDraw(work, label);
              }
            }
          },
          { rootMargin: MARGIN },
        );
  observer?.observe(el);
  return w;
}

/**
 * `requestDraw(work, label)` now if `el` is on screen, else when it comes into view (the latest
 * request wins). Returns a cancel function.
 */
export function requestDrawWhenVisible(el: Element, work: () => void, label: string): () => void {
  const w = observe(el);
  w.cancel?.();
  w.cancel = null;
  if (w.visible) {
    w.pending = null;
    w.cancel = requestDraw(work, label);
  } else w.pending = { work, label };
  return () => {
    w.pending = null;
    w.cancel?.();
    w.cancel = null;
  };
}

/** Stops watching `el` (its plot is gone). */
export function unwatch(el: Element): void {
  watched.get(el)?.cancel?.();
  watched.delete(el);
  observer?.unobserve(el);
}
