import type { Box, Painter } from './painter';
import type { ChartSpec } from './render';
import type { ChartTrace } from './traces';
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

type Found = HoverPoint & { px: number; py: number; axis: 'y' | 'y2'; text?: string };

/** The nearest drawable point of `t` to the pointer: by x alone, or in the plane ('xy'); -1 if none in reach. */
function nearest(t: ChartTrace, x: Scale, y: Scale, hx: number, hy: number | null): number {
  let best = -1;
  let bestD = REACH_PX;
  for (let i = 0; i < t.x.length; i++) {
    if (!x.drawable(t.x[i]) || !y.drawable(t.y[i])) continue;
    const dx = x.toPx(t.x[i]) - hx;
    const d = hy === null ? Math.abs(dx) : Math.hypot(dx, y.toPx(t.y[i]) - hy);
    if (d <= bestD) [best, bestD] = [i, d];
  }
  return best;
}

/**
 * Marks the points nearest the pointer and draws a readout box beside it. Mode 'x' (a chart over
 * ticks): the nearest point of each trace by x, headed by the x value. Mode 'xy' (the plane): the one
 * nearest point, after `spec.hoverRows` at the pointer. Returns the points read out.
 */
export function drawHover(
  p: Painter,
  spec: ChartSpec,
  plot: Box,
  x: Scale,
  yOf: (t: ChartTrace) => Scale,
  yMain: Scale,
): HoverPoint[] {
  const hx = spec.hoverX!;
  const hy = spec.hoverMode === 'xy' ? (spec.hoverY ?? null) : null;
  let found: Found[] = [];
  for (const t of spec.traces) {
    if (t.hover === false) continue;
    const y = yOf(t);
    const i = nearest(t, x, y, hx, hy);
    if (i < 0) continue;
    const [px, py] = [x.toPx(t.x[i]), y.toPx(t.y[i])];
    const text = t.hoverText?.(i);
    found.push({ name: t.name, color: t.color, x: t.x[i], y: t.y[i], px, py, axis: t.yaxis ?? 'y', text });
  }
  if (hy !== null) {
    const d = (f: Found) => Math.hypot(f.px - hx, f.py - hy);
    found = found.length ? [found.reduce((a, b) => (d(b) < d(a) ? b : a))] : [];
  }
  const head = hy !== null ? (spec.hoverRows?.(x.fromPx(hx), yMain.fromPx(hy)) ?? []) : [];
  if (!found.length && !head.length) return [];
  if (hy === null) p.line([hx, hx], [plot.top, plot.bottom], { color: spec.colors.muted, width: 1, dash: [3, 3] });
  for (const f of found) p.dots([f.px], [f.py], 4, f.color);

  const fs = spec.fontSize - 1;
  // One x for all (a shared tick axis) heads the box; points at different x (per-layer variance) say their own.
  const xName = shortTitle(spec.x.title);
  const shared = hy === null && found.every((f) => f.x === found[0].x);
  const value = (f: Found) => f.text ?? readout(f.y, (f.axis === 'y2' ? spec.y2 : spec.y)?.percent);
  const rows: Array<{ text: string; color: string }> = [
    ...(hy !== null
      ? head
      : [shared ? `${xName} = ${readout(found[0].x, spec.x.percent)}` : `nearest points (${xName})`]
    ).map((text) => ({ text, color: spec.colors.text })),
    ...found.map((f) => ({
      text: `${f.name}: ${value(f)}${shared || hy !== null ? '' : ` at ${readout(f.x, spec.x.percent)}`}`,
      color: f.color,
    })),
  ];
  const heads = hy !== null ? head.length : 1;
  const w = Math.max(...rows.map((r) => p.measure(r.text, fs))) + 12;
  const h = rows.length * fs * 1.3 + 8;
  // Beside the pointer, on whichever side has room.
  const left = hx + 12 + w <= plot.right ? hx + 12 : Math.max(plot.left, hx - 12 - w);
  const top = hy !== null && hy + 12 + h > plot.bottom ? Math.max(plot.top, hy - 12 - h) : (hy ?? plot.top - 8) + 12;
  p.rect(left, top, w, h, spec.colors.line);
  p.rect(left + 1, top + 1, w - 2, h - 2, spec.colors.paper);
  rows.forEach((r, i) =>
    p.text(r.text, left + 6, top + 4 + i * fs * 1.3, {
      size: fs,
      color: r.color,
      align: 'left',
      baseline: 'top',
      bold: i < heads,
    }),
  );
  return found.map(({ name, color, x, y }) => ({ name, color, x, y }));
}
