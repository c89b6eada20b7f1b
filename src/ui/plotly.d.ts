// The prebuilt plotly.js bundle (dist/plotly.min.js) ships no types; this is the part we use.
declare module 'plotly.js/dist/plotly.min.js' {
  type Data = Record<string, unknown>;
  type Layout = Record<string, unknown>;
  const Plotly: {
    newPlot(el: HTMLElement, data: Data[], layout?: Layout, config?: Record<string, unknown>): Promise<unknown>;
    react(el: HTMLElement, data: Data[], layout?: Layout, config?: Record<string, unknown>): Promise<unknown>;
    extendTraces(
      el: HTMLElement,
      update: Record<string, unknown[][]>,
      indices: number[],
      maxPoints?: number,
    ): Promise<unknown>;
    relayout(el: HTMLElement, update: Record<string, unknown>): Promise<unknown>;
    purge(el: HTMLElement): void;
    toImage(el: HTMLElement, opts: { format: 'png' | 'svg'; width?: number; height?: number }): Promise<string>;
    Plots: { resize(el: HTMLElement): void };
  };
  export default Plotly;
}
