import Plotly from 'plotly.js/dist/plotly.min.js';
import { themedLayout } from './theme';

/**
 * Plotly's first plots on a page pay a one-time set-up (style sheets, text measurement) and run its
 * code cold, before the JIT has compiled it: the first panel's newPlot took 113 ms in the UI bench
 * against 46 ms for a later redraw. While the page is idle, a hidden plot with what the Plotly panels
 * use (lines and markers, a legend, a log axis and a second y axis) is created, appended to, redrawn
 * and removed, one step per idle callback so no step is a long task itself. (The live run panels
 * draw on a canvas, plots/livePlot.ts, and need none of this.)
 */
export function warmUpPlotly(): () => void {
  const idle = window.requestIdleCallback ?? ((f: () => void) => setTimeout(f, 200));
  const cancelIdle = window.cancelIdleCallback ?? clearTimeout;
  const div = document.createElement('div');
  div.style.cssText = 'position:absolute;left:-10000px;top:0;width:600px;height:300px';
  const xs = Array.from({ length: 200 }, (_, i) => i);
  const trace = (name: string, yaxis: string) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name,
    yaxis,
    x: xs,
    y: xs.map((i) => 1 + Math.sin(i / 9)),
  });
  const layout = themedLayout({
    margin: { l: 55, r: 20, t: 30, b: 40 },
    xaxis: { title: { text: 'tick' }, automargin: false },
    yaxis: { title: { text: 'loss' }, type: 'log', automargin: false },
    yaxis2: { overlaying: 'y', side: 'right', automargin: false },
  });
  const steps: Array<() => unknown> = [
    () => document.body.append(div),
    () => Plotly.newPlot(div, [trace('a', 'y'), trace('b', 'y2')], layout, { responsive: false }),
    () => Plotly.extendTraces(div, { x: [[200], [200]], y: [[1], [2]] }, [0, 1]),
    () => Plotly.react(div, [trace('a', 'y'), trace('b', 'y2'), trace('c', 'y')], layout),
    () => Plotly.relayout(div, { 'yaxis.tickmode': 'auto' }),
  ];
  let handle: number | null = null;
  let gone = false;
  const next = () => {
    handle = null;
    const step = steps.shift();
    if (gone || !step) return cleanUp();
    void Promise.resolve(step()).then(() => {
      if (!gone) handle = idle(next) as number;
    });
  };
  const cleanUp = () => {
    Plotly.purge(div);
    div.remove();
  };
  handle = idle(next) as number;
  return () => {
    gone = true;
    if (handle !== null) cancelIdle(handle);
    cleanUp();
  };
}
