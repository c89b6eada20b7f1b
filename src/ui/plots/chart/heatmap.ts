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
 * squares, corners interpolated linearly; cells with a corner not computed have none). No allocation
 * per cell: a draw runs this for every level (the plane: 13 on 21 × 21 cells, once cold, after its last
 * row), and the version that built arrays and closures per cell took 7–18 ms of the draw in Node.
 */
export function contourSegments(g: HeatGrid, level: number): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  const { xs, ys } = g;
  // The crossings of one cell in edge order: bottom (v0 → v1), right (v1 → v2), top (v2 → v3), left (v3 → v0).
  const cx = [0, 0, 0, 0];
  const cy = [0, 0, 0, 0];
  for (let iy = 0; iy + 1 < ys.length; iy++) {
    const r0 = g.z[iy];
    const r1 = g.z[iy + 1];
    if (!r0 || !r1) continue;
    const y0 = ys[iy];
    const y1 = ys[iy + 1];
    for (let ix = 0; ix + 1 < xs.length; ix++) {
      // Corners anticlockwise from bottom left.
      const v0 = r0[ix] ?? NaN;
      const v1 = r0[ix + 1] ?? NaN;
      const v2 = r1[ix + 1] ?? NaN;
      const v3 = r1[ix] ?? NaN;
      if (!(Number.isFinite(v0) && Number.isFinite(v1) && Number.isFinite(v2) && Number.isFinite(v3))) continue;
      const b0 = v0 >= level;
      const b1 = v1 >= level;
      const b2 = v2 >= level;
      const b3 = v3 >= level;
      // Most cells lie wholly on one side of the level.
      if (b0 === b1 && b1 === b2 && b2 === b3) continue;
      const x0 = xs[ix];
      const x1 = xs[ix + 1];
      let n = 0;
      // An edge is crossed where its ends lie on either side.
      if (b0 !== b1) {
        cx[n] = x0 + ((level - v0) / (v1 - v0)) * (x1 - x0);
        cy[n++] = y0;
      }
      if (b1 !== b2) {
        cx[n] = x1;
        cy[n++] = y0 + ((level - v1) / (v2 - v1)) * (y1 - y0);
      }
      if (b2 !== b3) {
        cx[n] = x1 + ((level - v2) / (v3 - v2)) * (x0 - x1);
        cy[n++] = y1;
      }
      if (b3 !== b0) {
        cx[n] = x0;
        cy[n++] = y1 + ((level - v3) / (v0 - v3)) * (y0 - y1);
      }
      if (n === 2) {
        x.push(cx[0], cx[1]);
        y.push(cy[0], cy[1]);
      } else if (n === 4) {
        // A saddle: pair the crossings (bottom, right, top, left) by the centre's side.
        const paired = (v0 + v1 + v2 + v3) / 4 >= level === b0 ? 1 : 3;
        const other = paired === 1 ? 3 : 1;
        x.push(cx[0], cx[paired], cx[2], cx[other]);
        y.push(cy[0], cy[paired], cy[2], cy[other]);
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
