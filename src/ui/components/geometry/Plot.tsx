import { useEffect, useRef } from 'react';
import Plotly from 'plotly.js/dist/plotly.min.js';
import { requestDraw } from '../../plots/drawScheduler';
import { withFastAxes } from '../../plots/fastAxes';

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
    return requestDraw(() => {
      void Plotly.react(div, traces, withFastAxes({ ...BASE_LAYOUT, height, ...layout }), {
        displaylogo: false,
        responsive: true,
      });
    }, 'geometry');
  }, [traces, layout, height]);
  useEffect(() => {
    const div = el.current!;
    return () => Plotly.purge(div);
  }, []);
  return <div ref={el} className="geometry-plot" style={{ height }} data-testid={testId} />;
}
