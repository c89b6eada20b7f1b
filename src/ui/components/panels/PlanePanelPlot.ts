import { colourAt, drawColourBar, drawHeatmap, rgb, YL_OR_RD, type HeatGrid } from '../../plots/chart/heatmap';
import type { ChartSpec } from '../../plots/chart/render';
import type { ChartTrace } from '../../plots/chart/traces';
import type { PlotColors } from '../../plots/theme';
import type { BaselineKind, PlaneGeometry } from '../../../worker/protocol';
import type { PlaneView } from '../../state/uiState';

/**
 * The landscape plane's charts (SPEC §9), pure: the loss grid as a log-scaled heatmap with contour
 * lines and a colour bar, A, B and C, the straight segment, the LLPF path's snapshots and the
 * trained curves projected; and each path point's distance from the plane.
 */

/** Colours of the path kinds, shared with the barrier chart. */
export const KIND_COLORS: Record<BaselineKind | 'path', string> = {
  line: '#d62728',
  aligned: '#ff7f0e',
  bezier: '#17becf',
  polychain: '#e377c2',
  autoneb: '#8c564b',
  path: '#1f77b4',
};

/** Losses below this floor (nats) share the darkest colour; above CLIP the colour saturates. */
const FLOOR = 1e-3;
const CLIP = 5;
const NICE = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const CONTOUR_LEVELS = 14;
const CURVE_NAMES = { bezier: 'Bezier curve', polychain: 'polychain', autoneb: 'AutoNEB chain' } as const;
const CONTOUR_LINE = 'rgba(255,255,255,0.55)';
/** Room right of the plane for its colour bar and labels (px). */
const COLOUR_BAR_PX = 72;

const fmt = (v: number) => (v >= 0.1 ? v.toFixed(2) : v.toPrecision(2));

/** The colour range: log10 of the smallest loss to log10 of the largest, clipped at CLIP nats. */
export function colourRange(rows: ReadonlyArray<number[] | null>): [number, number] {
  const all = rows.flatMap((r) => r ?? []).filter(Number.isFinite);
  if (!all.length) return [Math.log10(0.01), Math.log10(CLIP)];
  const lo = Math.log10(Math.max(FLOOR, Math.min(...all)));
  const hi = Math.log10(Math.min(CLIP, Math.max(...all)));
  return hi > lo + 0.1 ? [lo, hi] : [lo, lo + 0.1];
}

/** Which geometry.path index the scrubber's tick is (the nearest snapshot), or -1. */
export function scrubIndex(g: PlaneGeometry, tick: number | null): number {
  if (tick === null || !g.path.tick.length) return -1;
  let best = 0;
  g.path.tick.forEach((k, i) => {
    if (Math.abs(k - tick) < Math.abs(g.path.tick[best] - tick)) best = i;
  });
  return best;
}

/** The grid of log10 losses the heatmap shows (rows not computed yet are null). */
export function heatGrid(view: PlaneView, g: PlaneGeometry): HeatGrid {
  const [zmin, zmax] = colourRange(view.rows);
  const z = g.y.map((_, iy) => view.rows[iy]?.map((v) => Math.log10(Math.max(v, FLOOR))) ?? null);
  return { xs: g.x, ys: g.y, z, zmin, zmax };
}

/** The loss at the grid point nearest (u, v), in words. */
function lossAt(view: PlaneView, g: PlaneGeometry, u: number, v: number): string {
  const step = (a: readonly number[]) => (a.length > 1 ? a[1] - a[0] : 1);
  const ix = Math.round((u - g.x[0]) / step(g.x));
  const iy = Math.round((v - g.y[0]) / step(g.y));
  const loss = view.rows[iy]?.[ix];
  const at = `u ${u.toFixed(2)}, v ${v.toFixed(2)}`;
  return loss === undefined ? at : `${at}: train loss ${fmt(loss)} nats`;
}

/** The plane with everything projected onto it; `extra` exposes the loss grid (e2e tests check it). */
export function planeChart(
  view: PlaneView,
  g: PlaneGeometry,
  scrubTick: number | null,
  colors: PlotColors,
  fontSize: number,
): { spec: ChartSpec; extra: Record<string, unknown> } {
  const grid = heatGrid(view, g);
  const complete = g.y.every((_, iy) => view.rows[iy]);
  const levels = complete
    ? Array.from(
        { length: CONTOUR_LEVELS - 1 },
        (_, k) => grid.zmin + ((k + 1) * (grid.zmax - grid.zmin)) / CONTOUR_LEVELS,
      )
    : [];
  const ticks = NICE.filter((v) => Math.log10(v) >= grid.zmin - 1e-9 && Math.log10(v) <= grid.zmax + 1e-9).map((v) => ({
    value: Math.log10(v),
    label: String(v),
  }));
  const { A, B, C } = g.points;
  const cName = g.third.kind === 'pathMiddle' ? `C (path tick ${g.third.tick})` : 'C (B aligned to A)';
  const traces: ChartTrace[] = [
    {
      name: 'straight line A → B',
      x: [A[0], B[0]],
      y: [A[1], B[1]],
      mode: 'lines',
      color: KIND_COLORS.line,
      dash: 'dash',
      hover: false,
    },
  ];
  for (const c of g.curves) {
    const name = CURVE_NAMES[c.kind];
    traces.push({
      name,
      x: c.x,
      y: c.y,
      color: KIND_COLORS[c.kind],
      width: 2.5,
      hoverText: (i) => `t ${c.t[i].toFixed(2)}, distance from the plane ${c.distance[i].toFixed(2)}`,
    });
    traces.push({
      name: `${name}: ${c.kind === 'autoneb' ? 'pivots' : 'bend θ₁'}`,
      x: c.knots.x,
      y: c.knots.y,
      mode: 'markers',
      color: KIND_COLORS[c.kind],
      marker: { symbol: 'x', radius: 6, outline: '#fff' },
      hoverText: (i) => `distance from the plane ${c.knots.distance[i].toFixed(2)}`,
    });
  }
  const lastTick = Math.max(1, ...g.path.tick);
  traces.push({
    name: 'LLPF path snapshots (colour: tick, light at A)',
    x: g.path.x,
    y: g.path.y,
    mode: 'lines+markers',
    color: '#fff',
    legendColor: KIND_COLORS.path,
    width: 1.5,
    marker: { radius: 4.5, colors: g.path.tick.map((k) => rgb(colourAt(k / lastTick, YL_OR_RD))), outline: '#222' },
    hoverText: (i) => `tick ${g.path.tick[i]}, distance from the plane ${g.path.distance[i].toFixed(2)}`,
  });
  traces.push({
    name: 'A, B, C',
    x: [A[0], B[0], C[0]],
    y: [A[1], B[1], C[1]],
    mode: 'markers',
    color: '#fff',
    marker: { radius: 6, outline: '#000', outlineWidth: 2 },
    labels: ['A', 'B', cName],
    labelColor: '#fff',
    hoverText: (i) => ['model A', 'model B', cName][i],
  });
  const i = scrubIndex(g, scrubTick);
  traces.push({
    name: i >= 0 ? `scrubber: tick ${g.path.tick[i]}` : 'scrubber',
    x: i >= 0 ? [g.path.x[i]] : [],
    y: i >= 0 ? [g.path.y[i]] : [],
    mode: 'markers',
    color: '#fff',
    legendColor: colors.text,
    marker: { radius: 9, hollow: true, outlineWidth: 3 },
    legend: i >= 0,
    hover: false,
  });
  const half = (a: readonly number[]) => (a.length > 1 ? (a[1] - a[0]) / 2 : 0.5);
  const extentOf = (a: readonly number[]) => [a[0] - half(a), a[a.length - 1] + half(a)] as const;
  const losses = view.rows.flatMap((r) => r ?? []);
  const spec: ChartSpec = {
    x: { title: 'along u = (B − A)/‖B − A‖: distance from A (parameter space)', range: extentOf(g.x), grid: false },
    y: { title: 'along v (⊥ u, towards C): distance from A', range: extentOf(g.y), grid: false },
    traces,
    colors,
    fontSize,
    hoverMode: 'xy',
    hoverRows: (u, v) => [lossAt(view, g, u, v)],
    rightReserve: COLOUR_BAR_PX,
    underlay: (p, plot, x, y) => {
      drawHeatmap(p, plot, x, y, grid, levels, CONTOUR_LINE);
      return drawColourBar(p, plot, grid, ticks, colors, fontSize);
    },
    summary:
      `Landscape plane through A, B and C: train loss on ${view.rows.filter(Boolean).length} of ${g.y.length} rows` +
      (losses.length ? `, from ${fmt(Math.min(...losses))} to ${fmt(Math.max(...losses))} nats` : '') +
      `; ${g.path.x.length} path snapshots projected.`,
  };
  return { spec, extra: { z: view.rows } };
}

/** Each path point's distance from the plane against its position t (path: tick / ticks). */
export function distanceChart(
  g: PlaneGeometry,
  totalTicks: number,
  scrubTick: number | null,
  colors: PlotColors,
  fontSize: number,
): { spec: ChartSpec } {
  const t = g.path.tick.map((k) => (totalTicks > 0 ? k / totalTicks : 0));
  const i = scrubIndex(g, scrubTick);
  const traces: ChartTrace[] = [
    {
      name: 'LLPF snapshots',
      x: t,
      y: g.path.distance,
      mode: 'lines+markers',
      color: KIND_COLORS.path,
      marker: { radius: 3 },
    },
    ...g.curves.map((c) => ({ name: CURVE_NAMES[c.kind], x: c.t, y: c.distance, color: KIND_COLORS[c.kind] })),
    {
      name: 'scrubber',
      x: i >= 0 ? [t[i]] : [],
      y: i >= 0 ? [g.path.distance[i]] : [],
      mode: 'markers',
      color: colors.text,
      marker: { radius: 7, hollow: true, outlineWidth: 2 },
      legend: false,
      hover: false,
    },
  ];
  return {
    spec: {
      x: { title: 'position t along the path', range: [-0.02, 1.02] },
      y: { title: 'distance from plane', rangemode: 'tozero' },
      traces,
      colors,
      fontSize,
    },
  };
}
