import type Plotly from 'plotly.js/dist/plotly.min.js';
import { requestDraw } from './drawScheduler';

export type PlotlyApi = typeof Plotly;

let loading: Promise<PlotlyApi> | null = null;
let loaded: PlotlyApi | null = null;

/**
 * Plotly, loaded on first use: only the Geometry and Experiments plots draw with it (the run panels
 * draw on a canvas, plots/chart), so the page neither downloads nor parses its 3.5 MB until then, and
 * its objects do not sit in the main thread's heap through the demo.
 */
export function loadPlotly(): Promise<PlotlyApi> {
  loading ??= import('plotly.js/dist/plotly.min.js').then((m) => (loaded = m.default));
  return loading;
}

/** Purges a plot, if Plotly ever drew one (a plot never drawn needs no download to purge). */
export function purgePlot(div: HTMLElement): void {
  loaded?.purge(div);
}

/** `draw(Plotly)` soon, in a task of its own (drawScheduler), once Plotly is loaded; returns a cancel. */
export function requestPlotlyDraw(draw: (plotly: PlotlyApi) => void, label: string): () => void {
  let cancel = () => {};
  let gone = false;
  void loadPlotly().then((plotly) => {
    if (!gone) cancel = requestDraw(() => draw(plotly), label);
  });
  return () => {
    gone = true;
    cancel();
  };
}
