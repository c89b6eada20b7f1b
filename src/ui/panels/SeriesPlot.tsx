import { useEffect, useRef } from 'react';
import Plotly from 'plotly.js/dist/plotly.min.js';
import { store } from '../store';
import { queuePlotCreation } from './plotQueue';
import type { PathSeries } from '../pathSeries';

/** One trace, described by how to read its x and y from the series starting at an index. */
export interface TraceSpec {
  name: string;
  x: (s: PathSeries, from: number) => ArrayLike<number>;
  y: (s: PathSeries, from: number) => ArrayLike<number>;
  yaxis?: 'y' | 'y2';
  mode?: 'lines' | 'markers' | 'lines+markers';
  color?: string;
}

const PLOT_CONFIG = { displaylogo: false, responsive: true, toImageButtonOptions: { format: 'png' } };
/** Up to this many points per trace are appended as they come; beyond, the plot shows an even thinning. */
export const MAX_DRAWN_POINTS = 2000;
/** Redraws of a thinned plot happen at most this often. */
const THINNED_REDRAW_MS = 1000;

/** Every k-th of n indices (and always the last), at most MAX_DRAWN_POINTS of them. */
function thin<T>(xs: ArrayLike<T>): T[] {
  const n = xs.length;
  const k = Math.ceil(n / MAX_DRAWN_POINTS);
  const out: T[] = [];
  for (let i = 0; i < n; i += k) out.push(xs[i]);
  if (n && (n - 1) % k !== 0) out.push(xs[n - 1]);
  return out;
}

/**
 * A live plot of the current run: creates the plot once, appends only new points with
 * Plotly.extendTraces at most once per animation frame, redraws (Plotly.react) when the run
 * changes, and purges on unmount. Past MAX_DRAWN_POINTS points per trace it shows an evenly
 * thinned copy, redrawn at most once a second, so 30,000 points cost no more than 2,000
 * (SVG traces: cheaper to create than WebGL ones, which matters on software GL).
 */
export function SeriesPlot({ traces, layout, testId }: { traces: TraceSpec[]; layout: Record<string, unknown>; testId: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const div = el.current!;
    let drawn = 0;
    let runId: string | null = null;
    let frame = 0;
    let lastThinnedRedraw = 0;
    let unsubscribeSeries: (() => void) | null = null;
    const fullLayout = { margin: { l: 55, r: 20, t: 30, b: 40 }, legend: { orientation: 'h', y: -0.25 }, ...layout };
    const toTrace = (t: TraceSpec, s: PathSeries | null, compared = false) => ({
      type: 'scatter',
      mode: t.mode ?? 'lines',
      name: compared ? `${t.name} — compared run` : t.name,
      yaxis: t.yaxis ?? 'y',
      connectgaps: true,
      opacity: compared ? 0.6 : 1,
      line: { ...(t.color ? { color: t.color } : {}), ...(compared ? { dash: 'dot' } : {}) },
      marker: t.color ? { color: t.color, size: 5 } : { size: 5 },
      x: s ? thin(t.x(s, 0)) : [],
      y: s ? thin(t.y(s, 0)) : [],
    });
    let created = false;
    // Main traces first (extendTraces appends to them by index), then the compared run's.
    const allTraces = (s: PathSeries | null) => [...traces.map((t) => toTrace(t, s)), ...(store.compare ? traces.map((t) => toTrace(t, store.compare, true)) : [])];
    let lastCompare = store.compare;

    const flush = () => {
      frame = 0;
      const s = store.series;
      if (!created || !s) return;
      if (s.runId !== runId || s.length < drawn || store.compare !== lastCompare) {
        runId = s.runId;
        drawn = s.length;
        lastCompare = store.compare;
        void Plotly.react(div, allTraces(s), fullLayout, PLOT_CONFIG);
        return;
      }
      if (s.length === drawn) return;
      if (s.length > MAX_DRAWN_POINTS) {
        const now = performance.now();
        if (now - lastThinnedRedraw < THINNED_REDRAW_MS) {
          if (!frame) frame = requestAnimationFrame(flush); // try again next frame
          return;
        }
        lastThinnedRedraw = now;
        drawn = s.length;
        void Plotly.react(div, allTraces(s), fullLayout, PLOT_CONFIG);
        return;
      }
      const from = drawn;
      drawn = s.length;
      void Plotly.extendTraces(
        div,
        { x: traces.map((t) => Array.from(t.x(s, from))), y: traces.map((t) => Array.from(t.y(s, from))) },
        traces.map((_, i) => i),
      );
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(flush);
    };
    const attach = () => {
      unsubscribeSeries?.();
      unsubscribeSeries = store.series?.subscribe(schedule) ?? null;
      schedule();
    };
    const cancelCreation = queuePlotCreation(() => {
      created = true;
      runId = store.series?.runId ?? null;
      drawn = store.series?.length ?? 0;
      void Plotly.newPlot(div, allTraces(store.series), fullLayout, PLOT_CONFIG);
    });
    let lastSeries = store.series;
    const unsubscribeStore = store.subscribe(() => {
      if (store.series !== lastSeries) {
        lastSeries = store.series;
        attach();
      } else if (store.compare !== lastCompare) schedule();
    });
    attach();
    return () => {
      cancelCreation();
      unsubscribeStore();
      unsubscribeSeries?.();
      if (frame) cancelAnimationFrame(frame);
      Plotly.purge(div);
    };
    // The traces and layout of a panel are fixed for its lifetime.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return <div ref={el} className="plot" data-testid={testId} />;
}

/** Exports a plot as PNG or SVG. */
export async function exportPlot(div: HTMLElement, format: 'png' | 'svg', name: string): Promise<void> {
  const url = await Plotly.toImage(div, { format, width: 1000, height: 500 });
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.${format}`;
  a.click();
}
