import type { PathSeries } from '../pathSeries';
import type { ChartTrace } from './chart/render';
import type { AxisSpec } from './chart/scale';
import { ChartView, type ChartSnapshot, type ChartSource } from './chartView';
import { Envelope } from './envelope';

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
export type LiveChart = ChartSnapshot;

/** Draws one plot at most this often while a run streams. */
const MIN_INTERVAL_MS = 100;

/** Envelopes of every trace of one series. */
interface Drawn {
  series: PathSeries;
  runId: string;
  envelopes: Envelope[];
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
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly view: ChartView;
  /** Pixel columns of the envelopes: the plot's width, read at the first draw (not here: see ChartView). */
  private buckets = 0;

  constructor(
    div: HTMLElement,
    private readonly traces: TraceSpec[],
    private readonly axes: LiveAxes,
    private readonly source: PlotSource,
  ) {
    // Drawn only while on screen: the panels stream below the demo, and a draw no one sees still costs its task.
    this.view = new ChartView(div, 'live', this.chart, true);
    this.view.request();
  }

  /** Something changed in the source: draw soon (not more often than MIN_INTERVAL_MS). */
  request = (): void => {
    if (this.timer) return;
    const wait = this.view.lastDraw + MIN_INTERVAL_MS - performance.now();
    if (wait <= 0) this.view.request();
    else this.timer = setTimeout(() => ((this.timer = null), this.view.request()), wait);
  };

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.view.dispose();
  }

  /** The envelopes brought up to date with the source, as a chart. */
  private chart: ChartSource = (colors, fontSize) => {
    this.main = this.follow(this.main, this.source.series);
    this.compared = this.follow(this.compared, this.source.compare);
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
    return { spec: { x, y, y2, traces, colors, fontSize } };
  };

  /** The envelopes of `series`: the ones drawn, with the new points added, or new ones (another run, a reset). */
  private follow(drawn: Drawn | null, series: PathSeries | null): Drawn | null {
    if (!series) return null;
    this.buckets ||= Math.max(64, Math.round(this.view.width));
    const stale =
      !drawn || drawn.series !== series || drawn.runId !== series.runId || series.length < drawn.envelopes[0].consumed;
    const d = stale
      ? { series, runId: series.runId, envelopes: this.traces.map(() => new Envelope(this.buckets)) }
      : drawn;
    d.envelopes.forEach((env, k) => env.add(series.length, (i) => this.traces[k].y(series, i)));
    return d;
  }
}
