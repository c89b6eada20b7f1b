import type { Box, MarkerSymbol, Painter, TextStyle } from './painter';
import type { Scale } from './scale';

/** How one trace's markers look. */
export interface MarkerStyle {
  symbol?: MarkerSymbol;
  /** Radius (px); 2.5 by default. */
  radius?: number;
  /** One fill colour per point (the LLPF snapshots coloured by tick); otherwise the trace's colour. */
  colors?: readonly string[];
  /** No fill: an outlined ring (the scrubber's mark). */
  hollow?: boolean;
  outline?: string;
  outlineWidth?: number;
}

export interface ChartTrace {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  yaxis?: 'y' | 'y2';
  mode?: 'lines' | 'markers' | 'lines+markers';
  color: string;
  /** A compared run: dotted and faded. */
  compared?: boolean;
  dash?: 'dash' | 'dot';
  /** Line width (px); 2 by default. */
  width?: number;
  marker?: MarkerStyle;
  /** Text above each point (A, B and C on the plane), in `labelColor`. */
  labels?: readonly string[];
  labelColor?: string;
  /** false: not in the legend. */
  legend?: boolean;
  /** The legend sample's colour, where the drawn one would vanish on the paper (a white line over a heatmap). */
  legendColor?: string;
  /** What the hover readout says of point i, instead of its y value. */
  hoverText?: (i: number) => string;
  /** false: never read out under the pointer. */
  hover?: boolean;
}

export const PAD = 6;
const LEGEND_SAMPLE = 20;

const dashOf = (t: ChartTrace): number[] | undefined =>
  t.compared || t.dash === 'dot' ? [2, 3] : t.dash === 'dash' ? [7, 4] : undefined;

/** The drawable points of a trace in pixels, and which of its points they are. */
export function project(t: ChartTrace, x: Scale, y: Scale): [number[], number[], number[]] {
  const px: number[] = [];
  const py: number[] = [];
  const index: number[] = [];
  for (let i = 0; i < t.x.length; i++) {
    if (!x.drawable(t.x[i]) || !y.drawable(t.y[i])) continue; // NaN (not measured) and, on log axes, ≤ 0
    px.push(x.toPx(t.x[i]));
    py.push(y.toPx(t.y[i]));
    index.push(i);
  }
  return [px, py, index];
}

function drawMarker(p: Painter, t: ChartTrace, x: number, y: number, i: number, opacity: number): void {
  const m = t.marker ?? {};
  const r = m.radius ?? 2.5;
  const fill = m.hollow ? undefined : (m.colors?.[i] ?? t.color);
  if (!m.symbol && !m.outline && !m.hollow) return p.dots([x], [y], r, fill!, opacity);
  const stroke = m.hollow ? (m.outline ?? t.color) : m.outline;
  p.shape(m.symbol ?? 'circle', x, y, r, { fill, stroke, strokeWidth: m.outlineWidth ?? (m.hollow ? 2.5 : 1) });
}

/** Draws one trace's line, markers and point labels; returns the labels' boxes. */
export function drawTrace(
  p: Painter,
  t: ChartTrace,
  x: Scale,
  y: Scale,
  fs: number,
): Array<{ text: string; box: Box }> {
  const [px, py, index] = project(t, x, y);
  const opacity = t.compared ? 0.6 : 1;
  if (t.mode !== 'markers') p.line(px, py, { color: t.color, width: t.width ?? 2, dash: dashOf(t), opacity });
  const plain = !t.marker?.symbol && !t.marker?.colors && !t.marker?.outline && !t.marker?.hollow;
  if (t.mode && t.mode !== 'lines') {
    if (plain) p.dots(px, py, t.marker?.radius ?? 2.5, t.color, opacity);
    else px.forEach((_, k) => drawMarker(p, t, px[k], py[k], index[k], opacity));
  }
  const style: TextStyle = {
    size: fs,
    color: t.labelColor ?? t.color,
    align: 'center',
    baseline: 'bottom',
    bold: true,
  };
  const r = t.marker?.radius ?? 2.5;
  return t.labels
    ? index.map((i, k) => ({ text: t.labels![i], box: p.text(t.labels![i], px[k], py[k] - r - 2, style) }))
    : [];
}

export interface LegendItem {
  trace: ChartTrace;
  name: string;
  x: number;
  y: number;
}

/** Legend items in rows from the left, wrapped to `width`: every trace with a point drawn and a place in it. */
export function layoutLegend(
  p: Painter,
  traces: ChartTrace[],
  fs: number,
  width: number,
  fit: (text: string, width: number) => string,
) {
  const items: LegendItem[] = [];
  const rowH = fs * 1.5;
  let [x, y] = [PAD, PAD];
  for (const t of traces) {
    if (t.legend === false) continue;
    const name = fit(t.name, width - LEGEND_SAMPLE - 6);
    const w = LEGEND_SAMPLE + 6 + p.measure(name, fs) + 18;
    if (x > PAD && x + w > PAD + width) [x, y] = [PAD, y + rowH];
    items.push({ trace: t, name, x, y });
    x += w;
  }
  return { items, height: items.length ? y - PAD + rowH : 0 };
}

/** A legend item's sample: the trace's line and, for markers, one marker. */
export function drawLegendSample(p: Painter, item: LegendItem, cy: number): void {
  const t = item.trace.legendColor ? { ...item.trace, color: item.trace.legendColor } : item.trace;
  const [x0, x1] = [item.x, item.x + LEGEND_SAMPLE];
  if (t.mode !== 'markers') p.line([x0, x1], [cy, cy], { color: t.color, width: t.width ?? 2, dash: dashOf(t) });
  if (t.mode && t.mode !== 'lines' && (t.mode === 'markers' || t.marker)) {
    const outline = t.marker?.hollow ? t.color : t.marker?.outline;
    const marker = { ...t.marker, outline, radius: Math.min(t.marker?.radius ?? 3.5, 6), colors: undefined };
    const sample: ChartTrace = { ...t, marker };
    drawMarker(p, sample, (x0 + x1) / 2, cy, 0, 1);
  }
}
