import { useEffect, useRef } from 'react';
import { withFastAxes } from '../../plots/fastAxes';
import { purgePlot, requestPlotlyDraw } from '../../plots/plotly';

const BASE_LAYOUT = {
  margin: { l: 64, r: 20, t: 10, b: 50 },
  legend: { orientation: 'h', x: 0, y: -0.25, yanchor: 'top' },
  font: { size: 12 },
};

/**
 * A Plotly plot of a panel's current data: redrawn with Plotly.react (in its own task, drawScheduler)
 * when the traces or the layout change, purged on unmount.
 */
export function Plot({
  traces,
  layout,
  testId,
  height = 320,
}: {
  traces: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
  testId: string;
  height?: number;
}) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const div = el.current!;
    return requestPlotlyDraw(
      (Plotly) =>
        void Plotly.react(div, traces, withFastAxes({ ...BASE_LAYOUT, height, ...layout }), {
          displaylogo: false,
          responsive: true,
        }),
      'geometry',
    );
  }, [traces, layout, height]);
  useEffect(() => {
    const div = el.current!;
    return () => purgePlot(div);
  }, []);
  return <div ref={el} className="geometry-plot" style={{ height }} data-testid={testId} />;
}
