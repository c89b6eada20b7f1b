import type { Box, Painter } from './painter';
import type { ChartSpec, ChartTrace } from './render';
import type { Scale } from './scale';

/** The point of one trace nearest the pointer. */
export interface HoverPoint {
  name: string;
  color: string;
  x: number;
  y: number;
}

/** Points farther than this (px, horizontally) from the pointer are not read out. */
const REACH_PX = 40;

/** A readout value: four significant figures, or a percentage (two decimals) on a percent axis. */
export function readout(v: number, percent = false): string {
  if (percent) return `${(v * 100).toFixed(2)}%`;
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

/** The axis title's name without its unit ("tick (steps along the path)" → "tick"). */
const shortTitle = (title: string) => title.replace(/\s*\(.*$/, '');

/**
 * Marks the nearest point of each trace to the pointer (spec.hoverX) and draws a readout box beside it:
 * the x value, then each trace's value. Returns the points read out.
 */
export function drawHover(
  p: Painter,
  spec: ChartSpec,
  plot: Box,
  x: Scale,
  yOf: (t: ChartTrace) => Scale,
): HoverPoint[] {
  const hx = spec.hoverX!;
  const found: Array<HoverPoint & { px: number; py: number; axis: 'y' | 'y2' }> = [];
  for (const t of spec.traces) {
    const y = yOf(t);
    let best = -1;
    let bestD = REACH_PX;
    for (let i = 0; i < t.x.length; i++) {
      if (!x.drawable(t.x[i]) || !y.drawable(t.y[i])) continue;
      const d = Math.abs(x.toPx(t.x[i]) - hx);
      if (d <= bestD) [best, bestD] = [i, d];
    }
    if (best < 0) continue;
    const [px, py] = [x.toPx(t.x[best]), y.toPx(t.y[best])];
    found.push({ name: t.name, color: t.color, x: t.x[best], y: t.y[best], px, py, axis: t.yaxis ?? 'y' });
  }
  if (!found.length) return [];
  p.line([hx, hx], [plot.top, plot.bottom], { color: spec.colors.muted, width: 1, dash: [3, 3] });
  for (const f of found) p.dots([f.px], [f.py], 4, f.color);

  const fs = spec.fontSize - 1;
  // One x for all (a shared tick axis) heads the box; points at different x (per-layer variance) say their own.
  const xName = shortTitle(spec.x.title);
  const shared = found.every((f) => f.x === found[0].x);
  const value = (f: (typeof found)[number]) => readout(f.y, (f.axis === 'y2' ? spec.y2 : spec.y)?.percent);
  const rows = [
    shared ? `${xName} = ${readout(found[0].x, spec.x.percent)}` : `nearest points (${xName})`,
    ...found.map((f) => `${f.name}: ${value(f)}${shared ? '' : ` at ${readout(f.x, spec.x.percent)}`}`),
  ];
  const w = Math.max(...rows.map((r) => p.measure(r, fs))) + 12;
  const h = rows.length * fs * 1.3 + 8;
  // Beside the pointer, on whichever side has room.
  const left = hx + 12 + w <= plot.right ? hx + 12 : Math.max(plot.left, hx - 12 - w);
  const top = plot.top + 4;
  p.rect(left, top, w, h, spec.colors.line);
  p.rect(left + 1, top + 1, w - 2, h - 2, spec.colors.paper);
  rows.forEach((r, i) =>
    p.text(r, left + 6, top + 4 + i * fs * 1.3, {
      size: fs,
      color: i ? found[i - 1].color : spec.colors.text,
      align: 'left',
      baseline: 'top',
      bold: i === 0,
    }),
  );
  return found.map(({ name, color, x, y }) => ({ name, color, x, y }));
}
