import { CanvasPainter } from './chart/painter';
import { renderChart, type ChartGeometry, type ChartSpec, type ChartTrace } from './chart/render';
import { SvgPainter } from './chart/svgPainter';
import { requestDraw } from './drawScheduler';
import { PLOT_COLORS, PLOT_FONT_SIZE, currentTheme, onThemeChange } from './theme';
import { requestDrawWhenVisible, unwatch } from './visibility';
import type { PlotColors } from './theme';

/** What a chart's element exposes of its last draw (e2e tests and the bench read `el.chart`). */
export interface ChartSnapshot {
  data: Array<{ name: string; x: number[]; y: number[] }>;
  geometry: ChartGeometry;
  /** Whatever else the panel wants checked (the plane's loss grid). */
  extra?: Record<string, unknown>;
}

/** What a chart draws: the spec in the theme's colours (null: nothing yet), and what else to expose. */
export type ChartSource = (
  colors: PlotColors,
  fontSize: number,
) => { spec: ChartSpec; extra?: Record<string, unknown> } | null;

const views = new WeakMap<HTMLElement, ChartView>();

/** The chart drawn in `el`, if any (for the panels' PNG/SVG export). */
export function chartViewOf(el: HTMLElement): ChartView | undefined {
  return views.get(el);
}

/**
 * A chart on a canvas in `div` (plots/chart; not Plotly, whose redraws re-lay out an SVG and measure
 * its text: tens of ms on a 2-core machine, more under load). It redraws, each time in a task of its
 * own (drawScheduler), when asked, on resize, on a theme change and as the pointer moves, which reads
 * out the nearest points.
 */
export class ChartView {
  /** When the last draw ran (performance.now()). */
  lastDraw = -Infinity;
  private readonly canvas: HTMLCanvasElement;
  /** The div's size as the ResizeObserver last reported it (null: not yet). */
  private size: { width: number; height: number } | null = null;
  private pointer: { x: number; y: number } | null = null;
  private readonly offTheme: () => void;
  private readonly resize: ResizeObserver | null;
  private cancel: (() => void) | null = null;

  constructor(
    private readonly div: HTMLElement,
    private readonly label: string,
    private source: ChartSource,
    /** Draw only while on screen (plots/visibility.ts): a grid of small charts, most of them scrolled away. */
    private readonly whenVisible = false,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.style.cssText = 'display:block;width:100%;height:100%';
    this.canvas.setAttribute('role', 'img');
    // No size read here: a panel grid mounts its charts in one go, and each read after an append would
    // lay the page out again. The ResizeObserver reports the first size after the next layout.
    div.append(this.canvas);
    views.set(div, this);
    this.offTheme = onThemeChange(this.request);
    this.resize = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(this.onResize);
    this.resize?.observe(div);
    this.canvas.addEventListener('pointermove', this.onPointer);
    this.canvas.addEventListener('pointerleave', this.onPointer);
  }

  /** The width the chart is drawn at (CSS px). */
  get width(): number {
    return this.measured().width;
  }

  /** Draws what `source` gives from now on, soon. */
  show(source: ChartSource): void {
    this.source = source;
    this.request();
  }

  /** Draws soon, in a task of its own; requests before it runs are one draw. */
  request = (): void => {
    this.cancel = this.whenVisible
      ? requestDrawWhenVisible(this.div, this.draw, this.label)
      : requestDraw(this.draw, this.label);
  };

  dispose(): void {
    this.offTheme();
    this.resize?.disconnect();
    this.cancel?.();
    if (this.whenVisible) unwatch(this.div);
    views.delete(this.div);
    this.canvas.remove();
  }

  /** The chart as an image of `width` × `height` CSS px: a PNG data URL, or an SVG document as one. */
  toImage(format: 'png' | 'svg', width = 1000, height = 500): string {
    const spec = this.spec();
    if (!spec) throw new Error('Nothing drawn yet to export.');
    if (format === 'svg') {
      const ctx = document.createElement('canvas').getContext('2d')!;
      const measure = (t: string, size: number, bold: boolean) => new CanvasPainter(ctx, 0, 0).measure(t, size, bold);
      const svg = new SvgPainter(width, height, measure);
      renderChart(svg, spec);
      return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.toString())}`;
    }
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [width * 2, height * 2];
    const ctx = canvas.getContext('2d')!;
    ctx.scale(2, 2);
    renderChart(new CanvasPainter(ctx, width, height), spec);
    return canvas.toDataURL('image/png');
  }

  private spec(): ChartSpec | null {
    return this.source(PLOT_COLORS[currentTheme()], PLOT_FONT_SIZE)?.spec ?? null;
  }

  private onResize = (entries: ResizeObserverEntry[]): void => {
    const r = entries[entries.length - 1].contentRect;
    if (r.width === this.size?.width && r.height === this.size?.height) return;
    this.size = { width: r.width, height: r.height };
    this.request();
  };

  private measured(): { width: number; height: number } {
    return this.size ?? { width: this.div.clientWidth || 600, height: this.div.clientHeight || 380 };
  }

  private onPointer = (e: PointerEvent): void => {
    this.pointer = e.type === 'pointerleave' ? null : { x: e.offsetX, y: e.offsetY };
    this.request();
  };

  private draw = (): void => {
    this.lastDraw = performance.now();
    const shown = this.source(PLOT_COLORS[currentTheme()], PLOT_FONT_SIZE);
    const { width, height } = this.measured();
    if (!shown || !(width > 0 && height > 0)) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const [w, h] = [Math.round(width * dpr), Math.round(height * dpr)];
    if (this.canvas.width !== w || this.canvas.height !== h) [this.canvas.width, this.canvas.height] = [w, h];
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const spec = { ...shown.spec, hoverX: this.pointer?.x ?? null, hoverY: this.pointer?.y ?? null };
    const geometry = renderChart(new CanvasPainter(ctx, width, height), spec);
    const snapshot: ChartSnapshot = {
      data: spec.traces.map((t) => ({ name: t.name, x: Array.from(t.x), y: Array.from(t.y) })),
      geometry,
      extra: shown.extra,
    };
    (this.div as HTMLElement & { chart?: ChartSnapshot }).chart = snapshot;
    this.canvas.setAttribute('aria-label', spec.summary ?? describe(spec));
  };
}

/** What a screen reader hears: the axes and each trace's latest value. */
function describe(spec: ChartSpec): string {
  const latest = spec.traces
    .filter((t: ChartTrace) => t.y.length)
    .map(
      (t) => `${t.name} ${Number(t.y[t.y.length - 1].toPrecision(3))} at ${Number(t.x[t.x.length - 1].toPrecision(4))}`,
    );
  return `${spec.y.title} against ${spec.x.title}${latest.length ? `; latest: ${latest.join(', ')}` : ''}`;
}
