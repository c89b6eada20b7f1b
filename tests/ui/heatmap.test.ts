import { describe, expect, it } from 'vitest';
import { colourAt, contourSegments, heatmapPixels, type HeatGrid } from '../../src/ui/plots/chart/heatmap';
import { renderChart, type Label } from '../../src/ui/plots/chart/render';
import { SvgPainter } from '../../src/ui/plots/chart/svgPainter';
import { barrierChart, KIND_NAMES } from '../../src/ui/components/panels/BarrierChartPlot';
import { distanceChart, planeChart } from '../../src/ui/components/panels/PlanePanelPlot';
import { PLOT_COLORS } from '../../src/ui/plots/theme';
import type { PlaneView } from '../../src/ui/state/uiState';
import type { PlaneGeometry } from '../../src/worker/protocol';

describe('the heatmap under a chart (plots/chart/heatmap.ts)', () => {
  it('maps the colour range onto viridis, dark for low values, and clamps beyond it', () => {
    expect(colourAt(0)).toEqual([68, 1, 84]);
    expect(colourAt(1)).toEqual([253, 231, 37]);
    expect(colourAt(-3)).toEqual(colourAt(0));
    expect(colourAt(NaN)).toEqual(colourAt(0));
    expect(colourAt(7)).toEqual(colourAt(1));
  });

  it('puts the highest row of y at the top of the image and leaves cells not computed transparent', () => {
    const g: HeatGrid = { xs: [0, 1], ys: [0, 1, 2], z: [[0, 1], null, [1, NaN]], zmin: 0, zmax: 1 };
    const px = heatmapPixels(g);
    const at = (row: number, col: number) => Array.from(px.slice(4 * (row * 2 + col), 4 * (row * 2 + col) + 4));
    expect(at(0, 0)).toEqual([253, 231, 37, 255]); // image row 0 = ys[2], z = 1
    expect(at(0, 1)[3]).toBe(0); // NaN is not drawn
    expect(at(1, 0)[3]).toBe(0); // the middle row is not computed yet
    expect(at(2, 0)).toEqual([68, 1, 84, 255]); // image row 2 = ys[0], z = 0
  });

  it('finds contour segments by marching squares, interpolating along the crossed edges', () => {
    // z = x on a 3×2 grid: the level 0.5 crosses the first column of cells at x = 0.5, top to bottom.
    const g: HeatGrid = {
      xs: [0, 1, 2],
      ys: [0, 1],
      z: [
        [0, 1, 2],
        [0, 1, 2],
      ],
      zmin: 0,
      zmax: 2,
    };
    const s = contourSegments(g, 0.5);
    expect(s.x).toEqual([0.5, 0.5]);
    expect([...s.y].sort()).toEqual([0, 1]);
    expect(contourSegments(g, 5).x).toEqual([]);
  });

  it('splits a saddle cell into two segments on the side its centre lies', () => {
    // Corners 1, 0, 1, 0 around the cell: the centre (0.5) is above the level 0.4, so the two high
    // corners join through the middle and the low corners are cut off.
    const g: HeatGrid = {
      xs: [0, 1],
      ys: [0, 1],
      z: [
        [1, 0],
        [0, 1],
      ],
      zmin: 0,
      zmax: 1,
    };
    const s = contourSegments(g, 0.4);
    expect(s.x).toHaveLength(4);
    const segments = [0, 2].map((k) => [
      [s.x[k], s.y[k]],
      [s.x[k + 1], s.y[k + 1]],
    ]);
    // Each segment cuts off one low corner: (1, 0) or (0, 1).
    const cutsOff = (seg: number[][], cx: number, cy: number) =>
      seg.every(([x, y]) => Math.hypot(x - cx, y - cy) < 0.9);
    expect(segments.some((seg) => cutsOff(seg, 1, 0))).toBe(true);
    expect(segments.some((seg) => cutsOff(seg, 0, 1))).toBe(true);
    // The centre above the level or below: the pairing differs.
    const below = contourSegments(g, 0.6);
    expect(below.x).toHaveLength(4);
    const high = [0, 2].map((k) => [
      [below.x[k], below.y[k]],
      [below.x[k + 1], below.y[k + 1]],
    ]);
    expect(high.some((seg) => cutsOff(seg, 0, 0))).toBe(true);
    expect(high.some((seg) => cutsOff(seg, 1, 1))).toBe(true);
  });
});

const n = 9;
const axis = (lo: number, hi: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
const geometry: PlaneGeometry = {
  x: axis(-5, 35),
  y: axis(-1, 7),
  points: { A: [0, 0], B: [31, 0], C: [12, 6] },
  samples: 2000,
  third: { kind: 'pathMiddle', tick: 50 },
  path: {
    runId: 'r1',
    tick: [0, 25, 50, 75, 100],
    x: [0, 5, 12, 25, 31],
    y: [0, 4, 6, 4, 0],
    distance: [0, 0.5, 0, 2.9, 0.6],
    length: 36.8,
  },
  curves: [
    {
      kind: 'bezier',
      t: [0, 0.5, 1],
      x: [0, 15, 31],
      y: [0, 3, 0],
      distance: [0, 1, 0],
      knots: { x: [15], y: [6], distance: [1.2] },
    },
  ],
};
const rows = geometry.y.map((v) => geometry.x.map((u) => 0.01 + 2 * Math.exp(-(((u - 15) / 6) ** 2)) * (1 - v / 10)));
const view = (computed: number): PlaneView => ({
  runId: 'r1',
  state: computed < n ? 'running' : 'done',
  grid: n,
  geometry,
  rows: rows.slice(0, computed),
  plane: null,
  ms: null,
});

const overlap = (a: Label, b: Label) =>
  Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left) > 1 &&
  Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top) > 1;
const overlaps = (labels: Label[]) =>
  labels.flatMap((a, i) => labels.slice(i + 1).flatMap((b) => (overlap(a, b) ? [`${a.text} × ${b.text}`] : [])));

describe('the landscape plane and barrier charts (panels/PlanePanelPlot.ts, BarrierChartPlot.ts)', () => {
  it.each([480, 800])('lays the plane out at %i px: no labels overlap, a colour bar, A/B/C named', (width) => {
    const svg = new SvgPainter(width, 420);
    const { spec, extra } = planeChart(view(n), geometry, 50, PLOT_COLORS.light, 13);
    const g = renderChart(svg, spec);
    expect(overlaps(g.labels.filter((l) => l.group !== 'point'))).toEqual([]);
    expect(g.labels.filter((l) => l.group === 'scale').length).toBeGreaterThanOrEqual(2);
    expect(g.labels.filter((l) => l.group === 'point').map((l) => l.text)).toEqual(
      expect.arrayContaining(['A', 'B', 'C (path tick 50)']),
    );
    expect(extra.z).toEqual(rows);
    expect(spec.traces.find((t) => t.name.startsWith('scrubber'))?.name).toBe('scrubber: tick 50');
  });

  it('draws the rows computed so far, without contours until the grid is complete', () => {
    const { spec, extra } = planeChart(view(4), geometry, null, PLOT_COLORS.light, 13);
    expect(extra.z).toHaveLength(4);
    const drawn = (v: PlaneView) => {
      const svg = new SvgPainter(640, 420);
      renderChart(svg, planeChart(v, geometry, null, PLOT_COLORS.light, 13).spec);
      return svg.toString();
    };
    const rects = (svg: string) => (svg.match(/<rect /g) ?? []).length;
    const [partial, complete] = [drawn(view(4)), drawn(view(n))];
    expect(rects(complete) - rects(partial)).toBe((n - 4) * n); // one cell per computed grid point
    expect(partial).not.toContain('stroke="rgba(255,255,255,0.55)"');
    expect(complete).toContain('stroke="rgba(255,255,255,0.55)"');
    expect(spec.traces.find((t) => t.name.startsWith('scrubber'))?.x).toEqual([]);
  });

  it('gives each path point its distance from the plane, the scrubbed one ringed', () => {
    const { spec } = distanceChart(geometry, 100, 75, PLOT_COLORS.light, 13);
    expect(spec.traces[0].x).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(spec.traces.at(-1)!.y).toEqual([2.9]);
    expect(overlaps(renderChart(new SvgPainter(360, 260), spec).labels)).toEqual([]);
  });

  it('lists in the barrier chart’s legend only the paths that have points, under stable names', () => {
    const inputs = {
      baselines: {
        line: { t: [0, 0.5, 1], trainLoss: [0.01, 2.2, 0.01] } as never,
        aligned: null,
      },
      pivots: null,
      path: { t: [0, 0.5, 1], loss: [0.02, 0.04, 0.02], evaluated: { t: [0, 1], loss: [0.02, 0.03] } },
      scrub: { tick: 50, t: 0.5, trainLoss: 0.04 },
    };
    const { spec } = barrierChart(inputs, PLOT_COLORS.dark, 13);
    const names = spec.traces.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(Object.values(KIND_NAMES)));
    expect(spec.traces.filter((t) => t.legend).map((t) => t.name)).toEqual([
      KIND_NAMES.line,
      expect.stringMatching(/^LLPF path \(moving-average/),
      expect.stringMatching(/^LLPF path \(train loss on the fixed/),
      'scrubber: tick 50',
    ]);
    for (const width of [480, 1000]) {
      const g = renderChart(new SvgPainter(width, 360), spec);
      expect(overlaps(g.labels)).toEqual([]);
    }
  });
});
