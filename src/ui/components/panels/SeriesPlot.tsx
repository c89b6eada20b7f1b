import { useEffect, useRef } from 'react';
import { store } from '../../state/store';
import { chartViewOf } from '../../plots/chartView';
import { loadPlotly } from '../../plots/plotly';
import { LivePlot, type LiveAxes, type TraceSpec } from '../../plots/livePlot';

export type { TraceSpec };

/**
 * A live plot of the current run (and the compared run): the plot itself is a LivePlot; this
 * component only tells it when the series or the comparison changed, and purges it on unmount.
 */
export function SeriesPlot({ traces, axes, testId }: { traces: TraceSpec[]; axes: LiveAxes; testId: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const plot = new LivePlot(el.current!, traces, axes, store);
    let series = store.series;
    let compare = store.compare;
    let unsubscribeSeries = series?.subscribe(plot.request) ?? null;
    const unsubscribeStore = store.subscribe(() => {
      if (store.series !== series) {
        unsubscribeSeries?.();
        series = store.series;
        unsubscribeSeries = series?.subscribe(plot.request) ?? null;
        plot.request();
      } else if (store.compare !== compare) plot.request();
      compare = store.compare;
    });
    return () => {
      unsubscribeStore();
      unsubscribeSeries?.();
      plot.dispose();
    };
    // The traces and axes of a panel are fixed for its lifetime.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return <div ref={el} className="plot" data-testid={testId} />;
}

/** Exports a plot (a canvas chart, or a Plotly one) as PNG or SVG. */
export async function exportPlot(div: HTMLElement, format: 'png' | 'svg', name: string): Promise<void> {
  const chart = chartViewOf(div);
  const url = chart
    ? chart.toImage(format)
    : await (await loadPlotly()).toImage(div, { format, width: 1000, height: 500 });
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.${format}`;
  a.click();
}
