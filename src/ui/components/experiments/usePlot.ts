import { useEffect, useRef } from 'react';
import { withFastAxes } from '../../plots/fastAxes';
import { purgePlot, requestPlotlyDraw } from '../../plots/plotly';

/** A figure: Plotly traces and layout. */
export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

/**
 * A Plotly plot that redraws (Plotly.react, in its own task via the draw scheduler) whenever
 * `figure` changes, and is purged on unmount. Experiment views change when a pair finishes, not
 * per tick, so a whole redraw is cheap.
 */
export function usePlot(figure: Figure | null) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const div = el.current;
    if (!div || !figure) return;
    return requestPlotlyDraw(
      (Plotly) =>
        void Plotly.react(div, figure.data, withFastAxes(figure.layout), { displaylogo: false, responsive: true }),
      'experiment',
    );
  }, [figure]);
  useEffect(() => {
    const div = el.current;
    return () => {
      if (div) purgePlot(div);
    };
  }, []);
  return el;
}

/** Axis of a log plot: ticks at powers of ten written 10⁻³, 10⁻² … (and 2, 5 between them when it spans little). */
export const LOG_AXIS = { type: 'log', exponentformat: 'power', showexponent: 'all' } as const;

/** The colour of series i (Plotly's default cycle). */
export const COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/** `hex` with opacity `a`, for bands. */
export function rgba(hex: string, a: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}
