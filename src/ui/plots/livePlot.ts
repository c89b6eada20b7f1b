import type { PathSeries } from '../pathSeries';
import { CanvasPainter, SvgPainter } from './chart/painter';
import { renderChart, type ChartGeometry, type ChartSpec, type ChartTrace } from './chart/render';
import type { AxisSpec } from './chart/scale';
import { requestDraw } from './drawScheduler';
import { Envelope } from './envelope';
import { PLOT_COLORS, PLOT_FONT_SIZE, currentTheme, onThemeChange } from './theme';

/** One trace: how to read point i of a series (NaN: no point there). */
export interface TraceSpec {
  name: string;
  x: (s: PathSeries, i: number) => number;
  y: (s: PathSeries, i: number) => number;
  yaxis?: 'y' | 'y2';
  mode?: 'lines' | 'markers' | 'lines+markers';
  color: string;
}

/** The axes of a live plot. */
export interface LiveAxes {
  x: AxisSpec;
  y: AxisSpec;
  y2?: AxisSpec;
}

/** Where the plot reads its data (the store, or a fake in tests). */
export interface PlotSource {
  series: PathSeries | null;
  compare: PathSeries | null;
}

/** What a live plot's element exposes of its last draw (e2e tests and the bench read it). */
export interface LiveChart {
  data: Array<{ name: string; x: number[]; y: number[] }>;
  geometry: ChartGeometry;
}

/** Draws one plot at most this often while a run streams. */
const MIN_INTERVAL_MS = 100;

/** Envelopes of every trace of one series. */
interface Drawn {
  series: PathSeries;
  runId: string;
  envelopes: Envelope[];
}

const plots = new WeakMap<HTMLElement, LivePlot>();

/** The live plot drawn in `el`, if any (for the panels' PNG/SVG export). */
export function livePlotOf(el: HTMLElement): LivePlot | undefined {
  return plots.get(el);
}

/**
 * A live plot of a run, drawn on a canvas by plots/chart (not Plotly: a Plotly redraw re-lays out its
 * SVG and measures its text, 15–40 ms per draw on a 2-core machine and more under load, and every
 * append is a full redraw). Each trace is a min/max envelope (at most two points per pixel column,
 * however long the run), so a whole draw takes a millisecond or two; it runs in a task of its own
 * (drawScheduler), at most every MIN_INTERVAL_MS. The pointer reads out the nearest points.
 */
export class LivePlot {
  private main: Drawn | null = null;
  private compared: Drawn | null = null;
  private lastDraw = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private cancel: (() => void) | null = null;
  private readonly canvas: HTMLCanvasElement;
  private readonly buckets: number;
  private size: { width: number; height: number };
  private hoverX: number | null = null;
  private readonly offTheme: () => void;
  private readonly resize: ResizeObserver | null;

  constructor(
    private readonly div: HTMLElement,
    private readonly traces: TraceSpec[],
    private readonly axes: LiveAxes,
    private readonly source: PlotSource,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.style.cssText = 'display:block;width:100%;height:100%';
    this.canvas.setAttribute('role', 'img');
    div.append(this.canvas);
    this.size = { width: div.clientWidth || 600, height: div.clientHeight || 380 };
    this.buckets = Math.max(64, Math.round(this.size.width));
    plots.set(div, this);
    this.offTheme = onThemeChange(this.request);
    this.resize = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(this.onResize);
    this.resize?.observe(div);
    this.canvas.addEventListener('pointermove', this.onPointer);
    this.canvas.addEventListener('pointerleave', this.onPointer);
    this.cancel = requestDraw(this.draw, 'live');
  }

  /** Something changed in the source: draw soon (not more often than MIN_INTERVAL_MS). */
  request = (): void => {
    if (this.timer) return;
    const wait = this.lastDraw + MIN_INTERVAL_MS - performance.now();
    if (wait <= 0) this.cancel = requestDraw(this.draw, 'live');
    else this.timer = setTimeout(() => ((this.timer = null), (this.cancel = requestDraw(this.draw, 'live'))), wait);
  };

  dispose(): void {
    this.offTheme();
    this.resize?.disconnect();
    this.cancel?.();
    if (this.timer) clearTimeout(this.timer);
    plots.delete(this.div);
    this.canvas.remove();
  }

  /** The plot as an image of `width` × `height` CSS px: a PNG data URL, or an SVG document as one. */
  toImage(format: 'png' | 'svg', width = 1000, height = 500): string {
    const spec = this.spec();
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

  private onResize = (entries: ResizeObserverEntry[]): void => {
    const r = entries[entries.length - 1].contentRect;
    if (r.width === this.size.width && r.height === this.size.height) return;
    this.size = { width: r.width, height: r.height };
    this.cancel = requestDraw(this.draw, 'live');
  };

  private onPointer = (e: PointerEvent): void => {
    this.hoverX = e.type === 'pointerleave' ? null : e.offsetX;
    this.cancel = requestDraw(this.draw, 'live');
  };

  private draw = (): void => {
    this.lastDraw = performance.now();
    const { series, compare } = this.source;
    this.main = this.follow(this.main, series);
    this.compared = this.follow(this.compared, compare);
    const { width, height } = this.size;
    if (!(width > 0 && height > 0)) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const [w, h] = [Math.round(width * dpr), Math.round(height * dpr)];
    if (this.canvas.width !== w || this.canvas.height !== h) [this.canvas.width, this.canvas.height] = [w, h];
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const spec = { ...this.spec(), hoverX: this.hoverX };
    const geometry = renderChart(new CanvasPainter(ctx, width, height), spec);
    const chart: LiveChart = {
      data: spec.traces.map((t) => ({ name: t.name, x: Array.from(t.x), y: Array.from(t.y) })),
      geometry,
    };
    (this.div as HTMLElement & { chart?: LiveChart }).chart = chart;
    this.canvas.setAttribute('aria-label', describe(this.axes, spec.traces));
  };

  /** The envelopes of `series`: the ones drawn, with the new points added, or new ones (another run, a reset). */
  private follow(drawn: Drawn | null, series: PathSeries | null): Drawn | null {
    if (!series) return null;
    const stale =
      !drawn || drawn.series !== series || drawn.runId !== series.runId || series.length < drawn.envelopes[0].consumed;
    const d = stale
      ? { series, runId: series.runId, envelopes: this.traces.map(() => new Envelope(this.buckets)) }
      : drawn;
    d.envelopes.forEach((env, k) => env.add(series.length, (i) => this.traces[k].y(series, i)));
    return d;
  }

  private spec(): ChartSpec {
    const traces: ChartTrace[] = [];
    for (const [d, compared] of [
      [this.main, false],
      [this.compared, true],
    ] as const) {
      if (!d) continue;
      this.traces.forEach((t, k) => {
        const idx = d.envelopes[k].indices();
        traces.push({
          name: compared ? `${t.name} — compared run` : t.name,
          x: idx.map((i) => t.x(d.series, i)),
          y: idx.map((i) => t.y(d.series, i)),
          yaxis: t.yaxis,
          mode: t.mode,
          color: t.color,
          compared,
        });
      });
    }
    const { x, y, y2 } = this.axes;
    return { x, y, y2, traces, colors: PLOT_COLORS[currentTheme()], fontSize: PLOT_FONT_SIZE };
  }
}

/** What a screen reader hears: the axes and each trace's latest value. */
function describe(axes: LiveAxes, traces: ChartTrace[]): string {
  const latest = traces
    .filter((t) => t.y.length)
    .map(
      (t) => `${t.name} ${Number(t.y[t.y.length - 1].toPrecision(3))} at ${Number(t.x[t.x.length - 1].toPrecision(4))}`,
    );
  return `${axes.y.title} against ${axes.x.title}${latest.length ? `; latest: ${latest.join(', ')}` : ''}`;
}
