import type Plotly from 'plotly.js/dist/plotly.min.js';
import { requestDraw } from './drawScheduler';

export type PlotlyApi = typeof Plotly;

let loading: Promise<PlotlyApi> | null = null;
let loaded: PlotlyApi | null = null;

/**
 * Plotly, loaded when a plot first needs it: only the Geometry and Experiments plots draw with it (the
 * run panels draw on a canvas, plots/chart), so a visit neither downloads nor evaluates its 6.9 MB
 * unless it shows one of those. Evaluating it is one long task (0.7 s traced on a 2-core machine): not
 * ahead of time, where it would land in whatever the user is doing (the demo, the lesson), but with the
 * first such plot, whose analysis the user just started.
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
