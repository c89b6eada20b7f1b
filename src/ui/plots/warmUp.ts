import { loadPlotly, type PlotlyApi } from './plotly';
import { themedLayout } from './theme';

/**
 * Plotly's first plots on a page pay a one-time set-up (style sheets, text measurement) and run its
 * code cold, before the JIT has compiled it: a first newPlot took 113 ms against 46 ms for a later
 * redraw. Only the Geometry and Experiments plots use Plotly (the run panels draw on a canvas,
 * plots/chart), so once one of those sections comes within a window's height of the screen, Plotly
 * is loaded and, while the page is idle, a hidden plot with what those plots use (lines and markers,
 * a legend, a log axis and a second y axis) is created, appended to, redrawn and removed, one step
 * per idle callback so no step is a long task itself.
 */
export function warmUpPlotly(sections: readonly string[] = ['geometry', 'experiments']): () => void {
  if (typeof IntersectionObserver === 'undefined') return () => {};
  let stop: (() => void) | null = null;
  const near = new IntersectionObserver(
    (entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      near.disconnect();
      stop = warmUp();
    },
    { rootMargin: '100% 0px' },
  );
  for (const id of sections) {
    const el = document.getElementById(id);
    if (el) near.observe(el);
  }
  return () => {
    near.disconnect();
    stop?.();
  };
}

function warmUp(): () => void {
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
  let plotly: PlotlyApi | null = null;
  const steps: Array<() => unknown> = [
    () => loadPlotly().then((p) => (plotly = p)),
    () => document.body.append(div),
    () => plotly!.newPlot(div, [trace('a', 'y'), trace('b', 'y2')], layout, { responsive: false }),
    () => plotly!.extendTraces(div, { x: [[200], [200]], y: [[1], [2]] }, [0, 1]),
    () => plotly!.react(div, [trace('a', 'y'), trace('b', 'y2'), trace('c', 'y')], layout),
    () => plotly!.relayout(div, { 'yaxis.tickmode': 'auto' }),
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
    plotly?.purge(div);
    div.remove();
  };
  handle = idle(next) as number;
  return () => {
    gone = true;
    if (handle !== null) cancelIdle(handle);
    cleanUp();
  };
}
