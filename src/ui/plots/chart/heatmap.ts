import type { PlotColors } from '../theme';
import type { Box, Painter } from './painter';
import type { Label } from './render';
import type { Scale, Tick } from './scale';

/**
 * A grid of values drawn under a chart's traces (the landscape plane, SPEC §9): a heatmap, contour
 * lines found by marching squares, and a colour bar. Cell (ix, iy) is centred on (xs[ix], ys[iy]).
 */
export interface HeatGrid {
  xs: readonly number[];
  ys: readonly number[];
  /** z[iy][ix]; null where not computed yet. */
  z: ReadonlyArray<ReadonlyArray<number | null> | null>;
  /** The colour range: zmin is the first colour, zmax the last (values beyond are clamped). */
  zmin: number;
  zmax: number;
}

type Rgb = readonly [number, number, number];

/** Viridis (matplotlib's perceptually uniform map; dark = low), at nine evenly spaced stops. */
export const VIRIDIS: readonly Rgb[] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** Yellow-orange-red, light to dark (the path's snapshots, coloured by tick). */
export const YL_OR_RD: readonly Rgb[] = [
  [255, 255, 204],
  [254, 217, 118],
  [253, 141, 60],
  [227, 26, 28],
  [128, 0, 38],
];

/** The colour at u ∈ [0, 1] of a map given by evenly spaced stops. */
export function colourAt(u: number, stops: readonly Rgb[] = VIRIDIS): Rgb {
  const v = Math.min(1, Math.max(0, Number.isFinite(u) ? u : 0)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(v));
  const f = v - k;
  const [a, b] = [stops[k], stops[k + 1]];
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

export const rgb = (c: Rgb) => `rgb(${Math.round(c[0])},${Math.round(c[1])},${Math.round(c[2])})`;

/** The grid as RGBA pixels, top row first (the highest y); cells not computed are transparent. */
export function heatmapPixels(g: HeatGrid): Uint8ClampedArray {
  const [cols, rows] = [g.xs.length, g.ys.length];
  const out = new Uint8ClampedArray(cols * rows * 4);
  for (let iy = 0; iy < rows; iy++) {
    const row = g.z[iy];
    for (let ix = 0; ix < cols; ix++) {
      const v = row?.[ix];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      const [r, gr, b] = colourAt((v - g.zmin) / (g.zmax - g.zmin || 1));
      out.set([r, gr, b, 255], 4 * ((rows - 1 - iy) * cols + ix));
    }
  }
  return out;
}

/**
 * The contour line of `level` through the grid as separate segments in data units (marching
 * squares, corners interpolated linearly; cells with a corner not computed have none).
 */
export function contourSegments(g: HeatGrid, level: number): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  const at = (ix: number, iy: number) => g.z[iy]?.[ix] ?? null;
  for (let iy = 0; iy + 1 < g.ys.length; iy++) {
    for (let ix = 0; ix + 1 < g.xs.length; ix++) {
      // Most cells lie wholly on one side of the level: skip them before allocating anything (a draw
      // runs this for every level on every redraw, hover included).
      const [c0, c1, c2, c3] = [at(ix, iy), at(ix + 1, iy), at(ix + 1, iy + 1), at(ix, iy + 1)];
      if (c0 === null || c1 === null || c2 === null || c3 === null) continue;
      if (Math.max(c0, c1, c2, c3) < level || Math.min(c0, c1, c2, c3) >= level) continue;
      // Corners anticlockwise from bottom left; an edge is crossed where its ends lie on either side.
      const corners = [
        [ix, iy],
        [ix + 1, iy],
        [ix + 1, iy + 1],
        [ix, iy + 1],
      ] as const;
      const v = corners.map(([i, j]) => at(i, j));
      if (v.some((c) => c === null || !Number.isFinite(c))) continue;
      const crossings: Array<[number, number]> = [];
      for (let e = 0; e < 4; e++) {
        const [a, b] = [v[e]!, v[(e + 1) % 4]!];
        if (a >= level === b >= level) continue;
        const f = (level - a) / (b - a);
        const [p, q] = [corners[e], corners[(e + 1) % 4]];
        crossings.push([g.xs[p[0]] + f * (g.xs[q[0]] - g.xs[p[0]]), g.ys[p[1]] + f * (g.ys[q[1]] - g.ys[p[1]])]);
      }
      // Two crossings: one segment; four (a saddle): pair them by the centre's side.
      const pairs =
        crossings.length === 4
          ? v.reduce((s, c) => s! + c!, 0)! / 4 >= level === v[0]! >= level
            ? [
                [0, 1],
                [2, 3],
              ]
            : [
                [0, 3],
                [1, 2],
              ]
          : crossings.length === 2
            ? [[0, 1]]
            : [];
      for (const [a, b] of pairs) {
        x.push(crossings[a][0], crossings[b][0]);
        y.push(crossings[a][1], crossings[b][1]);
      }
    }
  }
  return { x, y };
}

/** The heatmap stretched over the grid's cells, then contour lines at `levels`, clipped to the plot area. */
export function drawHeatmap(p: Painter, plot: Box, x: Scale, y: Scale, g: HeatGrid, levels: number[], line: string) {
  const half = (v: readonly number[]) => (v.length > 1 ? (v[1] - v[0]) / 2 : 0.5);
  const [hx, hy] = [half(g.xs), half(g.ys)];
  const box: Box = {
    left: x.toPx(g.xs[0] - hx),
    right: x.toPx(g.xs[g.xs.length - 1] + hx),
    top: y.toPx(g.ys[g.ys.length - 1] + hy),
    bottom: y.toPx(g.ys[0] - hy),
  };
  p.clip(plot);
  p.image(heatmapPixels(g), g.xs.length, g.ys.length, box);
  for (const level of levels) {
    const s = contourSegments(g, level);
    p.segments(
      s.x.map((v) => x.toPx(v)),
      s.y.map((v) => y.toPx(v)),
      { color: line, width: 0.8 },
    );
  }
  p.unclip();
}

/** A vertical colour bar right of the plot area, ticks at `ticks` (in z units); returns its labels. */
export function drawColourBar(
  p: Painter,
  plot: Box,
  g: HeatGrid,
  ticks: Tick[],
  colors: PlotColors,
  fontSize: number,
): Label[] {
  const [left, width] = [plot.right + 14, 14];
  const [top, bottom] = [plot.top + (plot.bottom - plot.top) * 0.05, plot.bottom - (plot.bottom - plot.top) * 0.05];
  const steps = 64;
  const pixels = new Uint8ClampedArray(steps * 4);
  for (let k = 0; k < steps; k++) pixels.set([...colourAt(1 - k / (steps - 1)), 255], 4 * k);
  p.image(pixels, 1, steps, { left, right: left + width, top, bottom });
  p.line([left, left + width, left + width, left, left], [top, top, bottom, bottom, top], {
    color: colors.line,
    width: 1,
  });
  const toPx = (v: number) => bottom - ((v - g.zmin) / (g.zmax - g.zmin || 1)) * (bottom - top);
  return ticks.map((t) => {
    const at = toPx(t.value);
    p.line([left + width, left + width + 4], [at, at], { color: colors.line, width: 1 });
    const box = p.text(t.label, left + width + 6, at, {
      size: fontSize - 1,
      color: colors.text,
      align: 'left',
      baseline: 'middle',
    });
    return { text: t.label, group: 'scale' as const, box };
  });
}
