import Plotly from 'plotly.js/dist/plotly.min.js';
import type { PathSeries } from '../pathSeries';
import { requestDraw } from './drawScheduler';
import { Envelope } from './envelope';

/** One trace: how to read point i of a series (NaN: no point there). */
export interface TraceSpec {
  name: string;
  x: (s: PathSeries, i: number) => number;
  y: (s: PathSeries, i: number) => number;
  yaxis?: 'y' | 'y2';
  mode?: 'lines' | 'markers' | 'lines+markers';
  color?: string;
}

/** Where the plot reads its data (the store, or a fake in tests). */
export interface PlotSource {
  series: PathSeries | null;
  compare: PathSeries | null;
}

const PLOT_CONFIG = { displaylogo: false, responsive: true, toImageButtonOptions: { format: 'png' } };
/** Appends to one plot at most this often: each costs a Plotly redraw of what is drawn. */
const MIN_INTERVAL_MS = 150;
/** Left and right margins of the plot area (px); the envelope gets one bucket per column between them. */
const MARGIN = { l: 55, r: 20, t: 30, b: 40 };

/** Envelopes of every trace of one series, and the last index drawn of each. */
interface Drawn {
  series: PathSeries;
  runId: string;
  envelopes: Envelope[];
  last: number[];
}

/**
 * A live plot of a run, outside React: draws a min/max envelope of each trace (at most two points
 * per pixel column, however long the run), appends new envelope points with Plotly.extendTraces,
 * and redraws with Plotly.react only when the run, the compared run or the envelope width changes.
 * Each draw runs in a task of its own, at most every MIN_INTERVAL_MS.
 */
export class LivePlot {
  private created = false;
  private main: Drawn | null = null;
  private compared: Drawn | null = null;
  private lastDraw = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private cancel: (() => void) | null = null;
  private readonly layout: Record<string, unknown>;
  private readonly buckets: number;

  constructor(
    private readonly div: HTMLElement,
    private readonly traces: TraceSpec[],
    layout: Record<string, unknown>,
    private readonly source: PlotSource,
  ) {
    this.layout = { margin: MARGIN, legend: { orientation: 'h', y: -0.25 }, ...layout };
    const width = div.clientWidth > 0 ? div.clientWidth - MARGIN.l - MARGIN.r : 600;
    this.buckets = Math.max(64, Math.round(width));
    this.cancel = requestDraw(this.draw);
  }

  /** Something changed in the source: draw soon (not more often than MIN_INTERVAL_MS). */
  request = (): void => {
    if (this.timer) return;
    const wait = this.lastDraw + MIN_INTERVAL_MS - performance.now();
    if (wait <= 0) this.cancel = requestDraw(this.draw);
    else this.timer = setTimeout(() => ((this.timer = null), (this.cancel = requestDraw(this.draw))), wait);
  };

  /** Points drawn in the first trace (for tests and the bench). */
  get drawnPoints(): number {
    return (this.div as unknown as { data?: Array<{ x: unknown[] }> }).data?.[0]?.x.length ?? 0;
  }

  dispose(): void {
    this.cancel?.();
    if (this.timer) clearTimeout(this.timer);
    Plotly.purge(this.div);
  }

  /** Runs one Plotly call, timed as a User Timing measure (`plot <test id> <kind>`) for traces and the bench. */
  private timed(kind: string, call: () => void): void {
    const t0 = performance.now();
    call();
    performance.measure(`plot ${this.div.dataset.testid ?? ''} ${kind}`, { start: t0, end: performance.now() });
  }

  private draw = (): void => {
    this.lastDraw = performance.now();
    const { series, compare } = this.source;
    const m = this.main;
    const stale =
      !m || m.series !== series || m.runId !== series?.runId || (series && series.length < m.envelopes[0].consumed);
    if (!this.created || stale || this.compared?.series !== (compare ?? undefined)) return this.redraw(series, compare);
    if (!series || !m || series.length === m.envelopes[0].consumed) return;
    let coarsened = false;
    for (const [t, env] of m.envelopes.entries()) {
      if (env.add(series.length, (i) => this.traces[t].y(series, i))) coarsened = true;
    }
    if (coarsened) return this.redraw(series, compare, m);
    const xs: number[][] = [];
    const ys: number[][] = [];
    this.traces.forEach((t, k) => {
      const idx = m.envelopes[k].indices(m.last[k]);
      if (idx.length) m.last[k] = idx[idx.length - 1];
      xs.push(idx.map((i) => t.x(series, i)));
      ys.push(idx.map((i) => t.y(series, i)));
    });
    if (!xs.some((x) => x.length)) return;
    const indices = this.traces.map((_, k) => k);
    this.timed('extend', () => void Plotly.extendTraces(this.div, { x: xs, y: ys }, indices));
  };

  /** Everything again: main traces first (extendTraces appends to them by index), then the compared run's. */
  private redraw(series: PathSeries | null, compare: PathSeries | null, keep?: Drawn): void {
    this.main = series ? (keep ?? this.envelopes(series)) : null;
    this.compared = compare ? this.envelopes(compare) : null;
    const data = [...this.traceData(this.main, false), ...this.traceData(this.compared, true)];
    if (!this.created) this.timed('new', () => void Plotly.newPlot(this.div, data, this.layout, PLOT_CONFIG));
    else this.timed('react', () => void Plotly.react(this.div, data, this.layout, PLOT_CONFIG));
    this.created = true;
  }

  private envelopes(series: PathSeries): Drawn {
    const envelopes = this.traces.map((t) => {
      const env = new Envelope(this.buckets);
      env.add(series.length, (i) => t.y(series, i));
      return env;
    });
    return { series, runId: series.runId, envelopes, last: this.traces.map(() => -1) };
  }

  private traceData(d: Drawn | null, compared: boolean): Array<Record<string, unknown>> {
    if (!d && compared) return [];
    return this.traces.map((t, k) => {
      const idx = d ? d.envelopes[k].indices() : [];
      if (d && idx.length) d.last[k] = idx[idx.length - 1];
      return {
        type: 'scatter',
        mode: t.mode ?? 'lines',
        name: compared ? `${t.name} — compared run` : t.name,
        yaxis: t.yaxis ?? 'y',
        connectgaps: true,
        opacity: compared ? 0.6 : 1,
        line: { ...(t.color ? { color: t.color } : {}), ...(compared ? { dash: 'dot' } : {}) },
        marker: t.color ? { color: t.color, size: 5 } : { size: 5 },
        x: d ? idx.map((i) => t.x(d.series, i)) : [],
        y: d ? idx.map((i) => t.y(d.series, i)) : [],
      };
    });
  }
}
