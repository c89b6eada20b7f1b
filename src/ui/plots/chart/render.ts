import type { PlotColors } from '../theme';
import { drawHover, type HoverPoint } from './hover';
import type { Box, Painter, TextStyle } from './painter';
import { axisDomain, buildScale, extent, type AxisSpec, type Scale } from './scale';
import { PAD, drawLegendSample, drawTrace, layoutLegend, type ChartTrace } from './traces';

export { project } from './traces';

export type { ChartTrace };

export interface ChartSpec {
  x: AxisSpec;
  y: AxisSpec;
  /** A second y axis on the right. */
  y2?: AxisSpec;
  traces: ChartTrace[];
  colors: PlotColors;
  fontSize: number;
  /** The pointer over the plot area (px): the nearest point of each trace is marked ('x'), or the nearest one ('xy'). */
  hoverX?: number | null;
  hoverY?: number | null;
  hoverMode?: 'x' | 'xy';
  /** Rows the readout starts with for the pointer's place in data units (the loss under it on the plane). */
  hoverRows?: (x: number, y: number) => string[];
  /** What a screen reader hears of the chart; by default the axes and each trace's latest value. */
  summary?: string;
  /** Room (px) kept right of the plot area for what `underlay` draws there (a colour bar). */
  rightReserve?: number;
  /** Drawn after the grid and under the traces (a heatmap, contour lines, a colour bar); returns its labels. */
  underlay?: (p: Painter, plot: Box, x: Scale, y: Scale) => Label[];
}

export type LabelGroup = 'legend' | 'xtick' | 'ytick' | 'y2tick' | 'xtitle' | 'ytitle' | 'y2title' | 'point' | 'scale';

/** Every text drawn, where it landed: no two may overlap (tests check it). */
export interface Label {
  text: string;
  group: LabelGroup;
  box: Box;
}

/** What a render drew: the plot area, the scales, the labels and the points under the pointer. */
export interface ChartGeometry {
  plot: Box;
  x: Scale;
  y: Scale;
  y2: Scale | null;
  labels: Label[];
  hover: HoverPoint[];
}

/** Least horizontal gap between two x tick labels (px). */
const X_LABEL_GAP = 14;

/** Lays out and draws the chart: margins follow the labels, so titles, ticks and legend never overlap. */
export function renderChart(p: Painter, spec: ChartSpec): ChartGeometry {
  const { colors, fontSize: fs } = spec;
  const tickFs = fs - 1;
  const lineH = (size: number) => size * 1.2;
  const labels: Label[] = [];
  const text = (t: string, x: number, y: number, style: Omit<TextStyle, 'color'>, group: LabelGroup, color?: string) =>
    labels.push({ text: t, group, box: p.text(t, x, y, { color: color ?? colors.text, ...style }) });

  p.rect(0, 0, p.width, p.height, colors.paper);
  const legend = layoutLegend(p, spec.traces, fs, p.width - 2 * PAD, (t, w) => fitText(p, t, fs, w));
  const top = PAD + legend.height + tickFs;
  const bottom = p.height - (PAD + lineH(tickFs) + PAD + lineH(fs) + PAD);
  const onY = (axis: 'y' | 'y2') => spec.traces.filter((t) => (t.yaxis ?? 'y') === axis);
  const markers = spec.traces.some((t) => t.mode !== 'lines');
  const yDomain = (axis: AxisSpec, which: 'y' | 'y2') =>
    axisDomain(
      axis,
      extent(
        onY(which).flatMap((t) => Array.from(t.y)),
        axis.type === 'log',
      ),
      true,
    );
  const yTicks = Math.max(2, Math.floor((bottom - top) / (tickFs * 3)));
  const y = buildScale(spec.y, yDomain(spec.y, 'y'), bottom, top, yTicks);
  const y2 = spec.y2 ? buildScale(spec.y2, yDomain(spec.y2, 'y2'), bottom, top, yTicks) : null;
  const widest = (s: Scale | null) => Math.max(0, ...(s?.ticks ?? []).map((t) => p.measure(t.label, tickFs)));
  const left = PAD + lineH(fs) + PAD + widest(y) + PAD;
  const right = p.width - (spec.rightReserve ?? 0) - (y2 ? PAD + lineH(fs) + PAD + widest(y2) + PAD : 2 * PAD + fs);
  const plot: Box = { left, top, right: Math.max(left + 10, right), bottom: Math.max(top + 10, bottom) };

  const xValues = spec.traces.flatMap((t) => Array.from(t.x));
  const xDomain = axisDomain(spec.x, extent(xValues, spec.x.type === 'log'), markers);
  const x = fitXScale(p, spec.x, xDomain, plot, tickFs);

  // Grid, then axis lines.
  const grid = (s: Scale, axis: AxisSpec, horizontal: boolean) => {
    if (axis.grid === false) return;
    for (const t of s.ticks) {
      const v = s.toPx(t.value);
      if (horizontal) p.line([plot.left, plot.right], [v, v], { color: colors.grid, width: 1 });
      else p.line([v, v], [plot.top, plot.bottom], { color: colors.grid, width: 1 });
    }
  };
  grid(y, spec.y, true);
  grid(x, spec.x, false);
  for (const l of spec.underlay?.(p, plot, x, y) ?? []) labels.push(l);
  const axisLine = { color: colors.line, width: 1 };
  p.line([plot.left, plot.right], [plot.bottom, plot.bottom], axisLine);
  p.line([plot.left, plot.left], [plot.top, plot.bottom], axisLine);
  if (y2) p.line([plot.right, plot.right], [plot.top, plot.bottom], axisLine);

  // Tick labels and titles.
  for (const t of x.ticks) {
    text(t.label, x.toPx(t.value), plot.bottom + PAD, { size: tickFs, align: 'center', baseline: 'top' }, 'xtick');
  }
  for (const t of y.ticks) {
    text(t.label, plot.left - PAD, y.toPx(t.value), { size: tickFs, align: 'right', baseline: 'middle' }, 'ytick');
  }
  for (const t of y2?.ticks ?? []) {
    text(t.label, plot.right + PAD, y2!.toPx(t.value), { size: tickFs, align: 'left', baseline: 'middle' }, 'y2tick');
  }
  const midX = (plot.left + plot.right) / 2;
  const midY = (plot.top + plot.bottom) / 2;
  const titleStyle = { size: fs, align: 'center', baseline: 'bottom' } as const;
  text(fitText(p, spec.x.title, fs, plot.right - plot.left), midX, p.height - PAD, titleStyle, 'xtitle');
  const yTitle = (t: string) => fitText(p, t, fs, plot.bottom - plot.top);
  text(yTitle(spec.y.title), PAD, midY, { ...titleStyle, baseline: 'top', vertical: true }, 'ytitle');
  if (spec.y2) text(yTitle(spec.y2.title), p.width - PAD, midY, { ...titleStyle, vertical: true }, 'y2title');

  // Traces, inside the plot area (their point labels may stand above it).
  const yOf = (t: ChartTrace) => ((t.yaxis ?? 'y') === 'y2' && y2 ? y2 : y);
  p.clip(plot);
  const pointLabels = spec.traces.flatMap((t) => drawTrace(p, t, x, yOf(t), fs));
  for (const l of pointLabels) labels.push({ ...l, group: 'point' });
  const hover = spec.hoverX == null ? [] : drawHover(p, spec, plot, x, yOf, y);
  p.unclip();

  // Legend, above the plot area.
  for (const item of legend.items) {
    const cy = item.y + lineH(fs) / 2;
    drawLegendSample(p, item, cy);
    text(item.name, item.x + 26, cy, { size: fs, align: 'left', baseline: 'middle' }, 'legend');
  }
  return { plot, x, y, y2, labels, hover };
}

/** An x scale whose tick labels do not overlap: fewer ticks until they fit. */
function fitXScale(p: Painter, axis: AxisSpec, domain: [number, number], plot: Box, size: number): Scale {
  let scale = buildScale(axis, domain, plot.left, plot.right, 10);
  for (let maxTicks = 10; maxTicks >= 2; maxTicks--) {
    scale = buildScale(axis, domain, plot.left, plot.right, maxTicks);
    const boxes = scale.ticks
      .map((t) => ({ at: scale.toPx(t.value), w: p.measure(t.label, size) }))
      .sort((a, b) => a.at - b.at);
    if (boxes.every((b, i) => !i || b.at - b.w / 2 - (boxes[i - 1].at + boxes[i - 1].w / 2) >= X_LABEL_GAP)) break;
  }
  return scale;
}

/** `text` shortened with an ellipsis to fit `width` px. */
export function fitText(p: Painter, text: string, size: number, width: number): string {
  if (p.measure(text, size) <= width) return text;
  let n = text.length;
  while (n > 1 && p.measure(`${text.slice(0, n)}…`, size) > width) n--;
  return `${text.slice(0, n).trimEnd()}…`;
}
