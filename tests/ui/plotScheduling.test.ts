import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withFastAxes } from '../../src/ui/plots/fastAxes';
import { themedLayout } from '../../src/ui/plots/theme';

describe('axes that skip Plotly’s per-label overflow checks (plots/fastAxes.ts)', () => {
  it('sets every x/y axis to allow overflow, keeps what the layout says, and themed layouts get it too', () => {
    const out = withFastAxes({
      xaxis: { title: 'tick' },
      yaxis2: { ticklabeloverflow: 'hide past domain' },
      height: 3,
    });
    expect(out).toMatchObject({
      xaxis: { title: 'tick', ticklabeloverflow: 'allow' },
      yaxis: { ticklabeloverflow: 'allow' },
      yaxis2: { ticklabeloverflow: 'hide past domain' },
      height: 3,
    });
    expect((themedLayout({ yaxis3: {} }, 'light') as Record<string, Record<string, unknown>>).yaxis3).toMatchObject({
      ticklabeloverflow: 'allow',
    });
  });
});

/** A stand-in IntersectionObserver the test drives: `show(el, visible)` reports an intersection change. */
class FakeObserver {
  static last: FakeObserver | null = null;
  readonly watched = new Set<Element>();
  constructor(private readonly callback: (entries: Array<{ target: Element; isIntersecting: boolean }>) => void) {
    FakeObserver.last = this;
  }
  observe(el: Element) {
    this.watched.add(el);
  }
  unobserve(el: Element) {
    this.watched.delete(el);
  }
  show(el: Element, isIntersecting: boolean) {
    this.callback([{ target: el, isIntersecting }]);
  }
}

const frames = () => new Promise((r) => setTimeout(r, 30));

describe('draws off screen wait until the plot scrolls into view (plots/visibility.ts)', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.stubGlobal('IntersectionObserver', FakeObserver);
    vi.stubGlobal('requestAnimationFrame', (f: () => void) => setTimeout(f, 0));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('keeps the latest request while hidden, runs it once on view, then draws at once while visible', async () => {
    const { requestDrawWhenVisible, unwatch } = await import('../../src/ui/plots/visibility');
    const el = {} as Element;
    const drawn: string[] = [];
    requestDrawWhenVisible(el, () => drawn.push('first'), 'pca');
    requestDrawWhenVisible(el, () => drawn.push('second'), 'pca');
    await frames();
    expect(drawn).toEqual([]); // nothing is drawn before the observer says the plot is on screen
    FakeObserver.last!.show(el, true);
    await frames();
    expect(drawn).toEqual(['second']);
    requestDrawWhenVisible(el, () => drawn.push('third'), 'pca');
    await frames();
    expect(drawn).toEqual(['second', 'third']);
    FakeObserver.last!.show(el, false);
    const cancel = requestDrawWhenVisible(el, () => drawn.push('cancelled'), 'pca');
    cancel();
    FakeObserver.last!.show(el, true);
    await frames();
    expect(drawn).toEqual(['second', 'third']);
    unwatch(el);
    expect(FakeObserver.last!.watched.has(el)).toBe(false);
  });

  it('measures every scheduled draw as `draw <label>`', async () => {
    const { requestDraw } = await import('../../src/ui/plots/drawScheduler');
    performance.clearMeasures();
    requestDraw(() => undefined, 'barrier');
    await frames();
    expect(performance.getEntriesByType('measure').map((m) => m.name)).toContain('draw barrier');
  });
});

describe('the draw scheduler', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.stubGlobal('requestAnimationFrame', (f: () => void) => setTimeout(f, 0));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('logs a draw that throws and keeps drawing the other panels', async () => {
    const { requestDraw } = await import('../../src/ui/plots/drawScheduler');
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const drawn: string[] = [];
    requestDraw(() => {
      throw new Error('a broken plot');
    }, 'broken');
    requestDraw(() => drawn.push('next'), 'next');
    await frames();
    await frames();
    expect(drawn).toEqual(['next']);
    expect(String(logged.mock.calls[0]?.[0])).toMatch(/plot draw failed \(broken\)/);
    logged.mockRestore();
  });
});
