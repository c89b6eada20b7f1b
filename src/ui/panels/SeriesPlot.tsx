import { useEffect, useRef } from 'react';
import Plotly from 'plotly.js/dist/plotly.min.js';
import { store } from '../store';
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

/**
 * A live plot of the current run: creates the plot once, appends only new points with
 * Plotly.extendTraces at most once per animation frame, redraws (Plotly.react) when the run
 * changes, and purges on unmount. Uses WebGL traces (scattergl) so 30,000 points stay cheap.
 */
export function SeriesPlot({ traces, layout, testId }: { traces: TraceSpec[]; layout: Record<string, unknown>; testId: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const div = el.current!;
    let drawn = 0;
    let runId: string | null = null;
    let frame = 0;
    let unsubscribeSeries: (() => void) | null = null;
    const fullLayout = { margin: { l: 55, r: 20, t: 30, b: 40 }, legend: { orientation: 'h', y: -0.25 }, ...layout };
    const toTrace = (t: TraceSpec, s: PathSeries | null) => ({
      type: 'scattergl',
      mode: t.mode ?? 'lines',
      name: t.name,
      yaxis: t.yaxis ?? 'y',
      connectgaps: true,
      line: t.color ? { color: t.color } : undefined,
      marker: t.color ? { color: t.color, size: 5 } : { size: 5 },
      x: s ? Array.from(t.x(s, 0)) : [],
      y: s ? Array.from(t.y(s, 0)) : [],
    });
    void Plotly.newPlot(div, traces.map((t) => toTrace(t, null)), fullLayout, PLOT_CONFIG);

    const flush = () => {
      frame = 0;
      const s = store.series;
      if (!s) return;
      if (s.runId !== runId || s.length < drawn) {
        runId = s.runId;
        drawn = s.length;
        void Plotly.react(div, traces.map((t) => toTrace(t, s)), fullLayout, PLOT_CONFIG);
        return;
      }
      if (s.length === drawn) return;
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
    let lastSeries = store.series;
    const unsubscribeStore = store.subscribe(() => {
      if (store.series !== lastSeries) {
        lastSeries = store.series;
        attach();
      }
    });
    attach();
    return () => {
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
