/**
 * Plotly's default `ticklabeloverflow` on linear axes ('hide past div') measures every tick label's
 * bounding box once per label drawn (axes.js `_adjustTickLabelsOverflow` runs inside the label loop):
 * n² forced layouts per axis per redraw. In the one-click demo it was three quarters of the
 * main thread's getBoundingClientRect time inside long tasks (bench/longTaskTrace.ts). Our margins
 * are fixed and wide enough, so labels are allowed to overflow, and nothing is measured.
 */
const AXES = /^[xy]axis\d*$/;

export const NO_OVERFLOW_CHECK = { ticklabeloverflow: 'allow' } as const;

/** `layout` with every x/y axis (xaxis and yaxis at least) set not to check tick label overflow. */
export function withFastAxes(layout: Record<string, unknown>): Record<string, unknown> {
  const out = { ...layout };
  for (const key of new Set(['xaxis', 'yaxis', ...Object.keys(layout).filter((k) => AXES.test(k))])) {
    out[key] = { ...NO_OVERFLOW_CHECK, ...(layout[key] as Record<string, unknown> | undefined) };
  }
  return out;
}
