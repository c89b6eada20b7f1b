import Plotly from 'plotly.js/dist/plotly.min.js';

/**
 * Plotly's first plot on a page pays a one-time set-up (style sheets, text measurement; about 30 ms
 * alone in headless Chromium, twice that on a busy page). Paying it for a hidden plot while the page
 * is idle keeps it out of the task that creates the first panel when a run starts.
 */
export function warmUpPlotly(): () => void {
  const idle = window.requestIdleCallback ?? ((f: () => void) => setTimeout(f, 200));
  const cancelIdle = window.cancelIdleCallback ?? clearTimeout;
  let div: HTMLDivElement | null = null;
  const handle = idle(() => {
    div = document.createElement('div');
    div.style.cssText = 'position:absolute;left:-10000px;top:0;width:300px;height:200px';
    document.body.append(div);
    const d = div;
    void Plotly.newPlot(d, [{ type: 'scatter', x: [0, 1], y: [0, 1] }], {}, { staticPlot: true }).then(() => {
      Plotly.purge(d);
      d.remove();
    });
  });
  return () => {
    cancelIdle(handle as number);
    if (div) {
      Plotly.purge(div);
      div.remove();
    }
  };
}
