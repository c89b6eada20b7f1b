import Plotly from 'plotly.js/dist/plotly.min.js';
import type { PathSeries } from '../pathSeries';
import { requestDraw } from './drawScheduler';
import { Envelope } from './envelope';
import { logTicks, sameTicks, type LogTicks } from './logTicks';
import { LEGEND_ABOVE, onThemeChange, themedLayout } from './theme';

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

/** Smallest and largest positive value drawn on a log axis (for its ticks). */
type Extent = [number, number];

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
 * Each draw runs in a task of its own, at most every MIN_INTERVAL_MS. The layout follows the app's
 * theme (plots/theme.ts), and log axes get readable decade ticks from the data drawn (plots/logTicks.ts).
 */
export class LivePlot {
  private created = false;
  private main: Drawn | null = null;
  private compared: Drawn | null = null;
  private lastDraw = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private cancel: (() => void) | null = null;
  private cancelTicks: (() => void) | null = null;
  private readonly layout: Record<string, unknown>;
  private readonly buckets: number;
  /** The log axes of the layout ('xaxis', 'yaxis'), their data extents and the ticks shown. */
  private readonly logAxes: string[];
  private extents = new Map<string, Extent>();
  private ticks = new Map<string, LogTicks | null>();
  private themeChanged = false;
  private readonly offTheme: () => void;

  constructor(
    private readonly div: HTMLElement,
    private readonly traces: TraceSpec[],
    layout: Record<string, unknown>,
    private readonly source: PlotSource,
  ) {
    this.layout = { margin: MARGIN, legend: LEGEND_ABOVE, ...layout };
    this.logAxes = ['xaxis', 'yaxis'].filter((a) => (this.layout[a] as { type?: string } | undefined)?.type === 'log');
    const width = div.clientWidth > 0 ? div.clientWidth - MARGIN.l - MARGIN.r : 600;
    this.buckets = Math.max(64, Math.round(width));
    this.cancel = requestDraw(this.draw, 'live');
    this.offTheme = onThemeChange(() => {
      this.themeChanged = true;
      this.request();
    });
  }

  /** Something changed in the source: draw soon (not more often than MIN_INTERVAL_MS). */
  request = (): void => {
    if (this.timer) return;
    const wait = this.lastDraw + MIN_INTERVAL_MS - performance.now();
    if (wait <= 0) this.cancel = requestDraw(this.draw, 'live');
    else this.timer = setTimeout(() => ((this.timer = null), (this.cancel = requestDraw(this.draw, 'live'))), wait);
  };

  /** Points drawn in the first trace (for tests and the bench). */
  get drawnPoints(): number {
    return (this.div as unknown as { data?: Array<{ x: unknown[] }> }).data?.[0]?.x.length ?? 0;
  }

  dispose(): void {
    this.offTheme();
    this.cancel?.();
    this.cancelTicks?.();
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
    if (this.themeChanged) return this.redraw(series, compare, m ?? undefined);
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
    this.traces.forEach((t, k) => this.widen(t, xs[k], ys[k]));
    // New log ticks (a few times per run, when the data enters another decade): the axes again, in a task
    // of their own (Plotly.relayout redraws the axes; after the append in the same task it was 80–110 ms).
    if (this.tickUpdate()) this.cancelTicks = requestDraw(this.relayoutTicks, 'live ticks');
  };

  private relayoutTicks = (): void => {
    this.cancelTicks = null;
    const update = Object.fromEntries(
      this.logAxes.flatMap((a) => {
        const t = this.ticks.get(a);
        return [
          [`${a}.tickmode`, t ? 'array' : 'auto'],
          [`${a}.tickvals`, t?.tickvals ?? null],
          [`${a}.ticktext`, t?.ticktext ?? null],
        ];
      }),
    );
    this.timed('ticks', () => void Plotly.relayout(this.div, update));
  };

  /** Everything again: main traces first (extendTraces appends to them by index), then the compared run's. */
  private redraw(series: PathSeries | null, compare: PathSeries | null, keep?: Drawn): void {
    this.main = series ? (keep ?? this.envelopes(series)) : null;
    this.compared = compare ? this.envelopes(compare) : null;
    this.extents.clear();
    const data = [...this.traceData(this.main, false), ...this.traceData(this.compared, true)];
    data.forEach((d, k) => this.widen(this.traces[k % this.traces.length], d.x as number[], d.y as number[]));
    this.tickUpdate();
    this.themeChanged = false;
    const layout = this.themed();
    if (!this.created) this.timed('new', () => void Plotly.newPlot(this.div, data, layout, PLOT_CONFIG));
    else this.timed('react', () => void Plotly.react(this.div, data, layout, PLOT_CONFIG));
    this.created = true;
  }

  /** Widens the extents of the log axes by the points of one trace. */
  private widen(t: TraceSpec, xs: number[], ys: number[]): void {
    for (const axis of this.logAxes) {
      const values = axis === 'xaxis' ? xs : (t.yaxis ?? 'y') === 'y' ? ys : [];
      let [lo, hi] = this.extents.get(axis) ?? [Infinity, -Infinity];
      for (const v of values) {
        if (!(v > 0) || !Number.isFinite(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      this.extents.set(axis, [lo, hi]);
    }
  }

  /** Recomputes the log axes' ticks from the extents; true when any changed. */
  private tickUpdate(): boolean {
    let changed = false;
    for (const axis of this.logAxes) {
      const [lo, hi] = this.extents.get(axis) ?? [NaN, NaN];
      const next = logTicks(lo, hi);
      if (sameTicks(next, this.ticks.get(axis) ?? null)) continue;
      this.ticks.set(axis, next);
      changed = true;
    }
    return changed;
  }

  /** The layout in the current theme, with the log axes' current ticks. */
  private themed(): Record<string, unknown> {
    const out = { ...this.layout };
    for (const axis of this.logAxes) {
      const t = this.ticks.get(axis);
      if (t) out[axis] = { ...(out[axis] as Record<string, unknown>), tickmode: 'array', ...t };
    }
    // Fixed margins (set wide enough by the panels): automargin measures every label on each redraw, and a
    // live plot redraws several times a second (bench/uiBench.ts: it doubled the longest task).
    const themed = themedLayout(out);
    for (const axis of ['xaxis', 'yaxis', 'yaxis2']) {
      if (themed[axis]) themed[axis] = { ...(themed[axis] as Record<string, unknown>), automargin: false };
    }
    return themed;
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
