/** The class that outlines the panel a lesson step points at (styles.css). */
export const HIGHLIGHT_CLASS = 'lesson-target';
/** How often to look again for a target not on the page yet (a panel appears when its run starts), ms. */
const RETRY_MS = 400;
/** How long to keep looking, ms. */
const GIVE_UP_MS = 120_000;

/** The first element matching one of the selectors, in order. */
export function findTarget(selectors: readonly string[], root: ParentNode = document): HTMLElement | null {
  for (const sel of selectors) {
    const el = root.querySelector<HTMLElement>(sel);
    if (el) return el;
  }
  return null;
}

/**
 * Outlines the step's panel and scrolls it into view. For a while it keeps looking: when a better
 * target (earlier in the list) appears, the outline moves there and scrolls to it. Returns the cleanup.
 */
export function highlight(selectors: readonly string[]): () => void {
  let current: HTMLElement | null = null;
  const started = performance.now();
  const place = () => {
    const el = findTarget(selectors);
    if (el === current) {
      el?.classList.add(HIGHLIGHT_CLASS); // React may have rewritten the class attribute
      return;
    }
    current?.classList.remove(HIGHLIGHT_CLASS);
    current = el;
    if (!el) return;
    el.classList.add(HIGHLIGHT_CLASS);
    const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    el.scrollIntoView({ behavior: reduced ? 'auto' : 'smooth', block: 'start' });
  };
  // A task after the step's render: scrolling lays the page out, and the step's commit need not pay for it too.
  const first = setTimeout(place, 0);
  const timer = setInterval(() => {
    if (performance.now() - started < GIVE_UP_MS) place();
  }, RETRY_MS);
  return () => {
    clearTimeout(first);
    clearInterval(timer);
    current?.classList.remove(HIGHLIGHT_CLASS);
  };
}
