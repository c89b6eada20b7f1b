import type { BaselineKind, PlaneGeometry } from '../../../worker/protocol';
import type { PlaneView } from '../../state/uiState';

/**
 * The landscape plane's Plotly traces and layouts (SPEC §9), pure: the loss grid as a log-scaled
 * heatmap with contour lines, A, B and C, the straight segment, the LLPF path's snapshots and the
 * trained curves projected; and each path point's distance from the plane.
 */
type Trace = Record<string, unknown>;

/** Colours of the path kinds, shared with the landscape plane. */
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
const CURVE_NAMES = { bezier: 'Bezier curve', polychain: 'polychain', autoneb: 'AutoNEB chain' } as const;

const CONTOUR_LINE = 'rgba(255,255,255,0.55)';

const fmt = (v: number) => (v >= 0.1 ? v.toFixed(2) : v.toPrecision(2));

/** The colour range: log10 of the smallest loss to log10 of the largest, clipped at CLIP nats. */
function colourRange(rows: number[][]): [number, number] {
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

export function planeTraces(view: PlaneView, g: PlaneGeometry, scrubTick: number | null): Trace[] {
  const [zmin, zmax] = colourRange(view.rows);
  const complete = g.y.every((_, iy) => view.rows[iy]);
  const z = g.y.map((_, iy) => view.rows[iy]?.map((v) => Math.log10(Math.max(v, FLOOR))) ?? g.x.map(() => null));
  const text = g.y.map((_, iy) => view.rows[iy]?.map(fmt) ?? g.x.map(() => 'not yet computed'));
  const ticks = NICE.filter((v) => Math.log10(v) >= zmin - 1e-9 && Math.log10(v) <= zmax + 1e-9);
  const { A, B, C } = g.points;
  const cName = g.third.kind === 'pathMiddle' ? `C (path tick ${g.third.tick})` : 'C (B aligned to A)';
  const traces: Trace[] = [
    {
      // A heatmap drawn as a grid-sized image the browser scales (zsmooth 'fast'): a contour fill was
      // interpolated pixel by pixel on the main thread (50–65 ms a draw); contour lines are a trace of their own.
      type: 'heatmap',
      zsmooth: 'fast',
      name: 'train loss',
      x: g.x,
      y: g.y,
      z,
      text,
      zmin,
      zmax,
      zauto: false,
      connectgaps: false,
      colorscale: 'Viridis',
      colorbar: {
        // No title: drawing it was half the colour bar's cost; PlanePanel labels the scale in HTML.
        tickvals: ticks.map(Math.log10),
        ticktext: ticks.map(String),
        len: 0.9,
        ticklabeloverflow: 'allow', // see plots/fastAxes.ts
      },
      hovertemplate: 'u %{x:.2f}, v %{y:.2f}<br>train loss %{text} nats<extra></extra>',
    },
    ...(complete
      ? [
          {
            // Contour lines over the heatmap once the grid is whole, one colour whatever the level.
            type: 'contour',
            name: 'contour lines',
            x: g.x,
            y: g.y,
            z,
            contours: { coloring: 'lines', start: zmin, end: zmax, size: (zmax - zmin) / 14, showlines: true },
            colorscale: [
              [0, CONTOUR_LINE],
              [1, CONTOUR_LINE],
            ],
            line: { width: 0.6 },
            showscale: false,
            showlegend: false,
            hoverinfo: 'skip',
          },
        ]
      : []),
    {
      name: 'straight line A → B',
      x: [A[0], B[0]],
      y: [A[1], B[1]],
      mode: 'lines',
      line: { color: KIND_COLORS.line, width: 2, dash: 'dash' },
      hoverinfo: 'skip',
    },
  ];
  for (const c of g.curves) {
    const name = CURVE_NAMES[c.kind];
    traces.push({
      name,
      x: c.x,
      y: c.y,
      mode: 'lines',
      line: { color: KIND_COLORS[c.kind], width: 2.5 },
      customdata: c.distance,
      text: c.t.map((t) => t.toFixed(2)),
      hovertemplate: `${name} t %{text}<br>distance from the plane %{customdata:.2f}<extra></extra>`,
    });
    traces.push({
      name: `${name}: ${c.kind === 'autoneb' ? 'pivots' : 'bend θ₁'}`,
      x: c.knots.x,
      y: c.knots.y,
      mode: 'markers',
      marker: { symbol: 'x', size: 10, color: KIND_COLORS[c.kind], line: { color: '#fff', width: 1 } },
      customdata: c.knots.distance,
      hovertemplate: 'distance from the plane %{customdata:.2f}<extra></extra>',
    });
  }
  traces.push({
    name: 'LLPF path snapshots (colour: tick)',
    x: g.path.x,
    y: g.path.y,
    mode: 'lines+markers',
    line: { color: '#fff', width: 1.5 },
    marker: {
      size: 8,
      color: g.path.tick,
      colorscale: 'YlOrRd',
      reversescale: true,
      line: { color: '#222', width: 1 },
      showscale: false,
    },
    customdata: g.path.tick.map((t, i) => [t, g.path.distance[i]]),
    hovertemplate: 'path tick %{customdata[0]}<br>distance from the plane %{customdata[1]:.2f}<extra></extra>',
  });
  traces.push({
    name: 'A, B, C',
    x: [A[0], B[0], C[0]],
    y: [A[1], B[1], C[1]],
    mode: 'markers+text',
    text: ['A', 'B', cName],
    textposition: 'top center',
    textfont: { color: '#fff', size: 14 },
    marker: { size: 12, color: '#fff', line: { color: '#000', width: 2 } },
    hoverinfo: 'text',
  });
  const i = scrubIndex(g, scrubTick);
  traces.push({
    name: i >= 0 ? `scrubber: tick ${g.path.tick[i]}` : 'scrubber',
    x: i >= 0 ? [g.path.x[i]] : [],
    y: i >= 0 ? [g.path.y[i]] : [],
    mode: 'markers',
    marker: { size: 18, color: 'rgba(0,0,0,0)', line: { color: '#fff', width: 3 } },
    showlegend: i >= 0,
  });
  return traces;
}

export function planeLayout(): Record<string, unknown> {
  return {
    margin: { l: 70, r: 10, t: 10, b: 100 },
    xaxis: { title: { text: 'along u = (B − A)/‖B − A‖: parameter-space distance from A' }, zeroline: false },
    yaxis: { title: { text: 'along v (⊥ u, towards C): distance from A' }, zeroline: false },
    legend: { orientation: 'h', x: 0, y: -0.2, yanchor: 'top' },
    height: 470,
  };
}

/** Each path point's distance from the plane against its position t (path: tick / ticks). */
export function distanceTraces(g: PlaneGeometry, totalTicks: number, scrubTick: number | null): Trace[] {
  const t = g.path.tick.map((k) => (totalTicks > 0 ? k / totalTicks : 0));
  const traces: Trace[] = [
    {
      name: 'LLPF snapshots',
      x: t,
      y: g.path.distance,
      mode: 'lines+markers',
      line: { color: KIND_COLORS.path },
      customdata: g.path.tick,
      hovertemplate: 'tick %{customdata}: %{y:.2f}<extra></extra>',
    },
    ...g.curves.map((c) => ({
      name: CURVE_NAMES[c.kind],
      x: c.t,
      y: c.distance,
      mode: 'lines',
      line: { color: KIND_COLORS[c.kind] },
    })),
  ];
  const i = scrubIndex(g, scrubTick);
  if (i >= 0)
    traces.push({
      name: 'scrubber',
      x: [t[i]],
      y: [g.path.distance[i]],
      mode: 'markers',
      marker: { size: 12, color: 'rgba(0,0,0,0)', line: { color: '#111', width: 2 } },
      showlegend: false,
    });
  return traces;
}

export function distanceLayout(): Record<string, unknown> {
  return {
    margin: { l: 55, r: 10, t: 10, b: 45 },
    xaxis: { title: { text: 'position t along the path' }, range: [-0.02, 1.02] },
    yaxis: { title: { text: 'distance from the plane' }, rangemode: 'tozero' },
    showlegend: false,
    height: 230,
  };
}
