import { describe, expect, it } from 'vitest';
import { textBox, type Box } from '../../src/ui/plots/chart/painter';
import { SvgPainter } from '../../src/ui/plots/chart/svgPainter';
import { project, renderChart, type ChartSpec, type Label } from '../../src/ui/plots/chart/render';
import { axisDomain, buildScale, decimalsOf, linearLabel, niceStep } from '../../src/ui/plots/chart/scale';
import { PLOT_COLORS } from '../../src/ui/plots/theme';

describe('chart scales (plots/chart/scale.ts)', () => {
  it('chooses 1-2-5 steps and writes labels with the decimals the step needs', () => {
    expect(niceStep(0, 30000, 6)).toBe(5000);
    expect(niceStep(0, 1, 5)).toBe(0.2);
    expect(niceStep(0, 0.9, 4)).toBe(0.25);
    expect([decimalsOf(0.25), decimalsOf(2.5), decimalsOf(1e-4), decimalsOf(1000)]).toEqual([2, 1, 4, 0]);
    expect(linearLabel(20000, 5000)).toBe('20k');
    expect(linearLabel(0.5, 0.25)).toBe('0.5');
    expect(linearLabel(0.30000000000000004, 0.1)).toBe('0.3');
    expect(linearLabel(-0, 0.1)).toBe('0');
    expect(linearLabel(0.6, 0.2, true)).toBe('60%');
    expect(linearLabel(0.9825, 0.0005, true)).toBe('98.25%'); // finer steps get the decimals they need
    expect(linearLabel(0.8, 0.2, true)).toBe('80%');
  });

  it('ranges: fixed, to zero, padded, clipped to [0, 1], and log ranges in decades', () => {
    expect(axisDomain({ title: '', range: [0, 1] }, [0.3, 0.5], true)).toEqual([0, 1]);
    expect(axisDomain({ title: '', rangemode: 'tozero' }, [2, 12], false)).toEqual([0, 12]);
    const [lo, hi] = axisDomain({ title: '', clip: [0, 1] }, [0.9, 1], true);
    expect(lo).toBeCloseTo(0.895);
    expect(hi).toBe(1);
    const [a, b] = axisDomain({ title: '', type: 'log' }, [1e-3, 1e-1], true);
    expect(Math.log10(a)).toBeCloseTo(-3.1);
    expect(Math.log10(b)).toBeCloseTo(-0.9);
  });

  it('maps data to pixels, reversed and on log axes, with readable log ticks', () => {
    const s = buildScale({ title: '', type: 'log', reversed: true }, [1e-3, 1e-1], 0, 100, 8);
    expect(s.toPx(1e-3)).toBeCloseTo(100);
    expect(s.toPx(1e-1)).toBeCloseTo(0);
    expect(s.toPx(1e-2)).toBeCloseTo(50);
    expect(s.ticks.map((t) => t.label)).toEqual(['10⁻³', '10⁻²', '10⁻¹']);
    expect(s.drawable(0)).toBe(false);
    const lin = buildScale({ title: '', dtick: 0.2, percent: true }, [0, 1], 300, 0, 6);
    expect(lin.ticks.map((t) => t.label)).toEqual(['0%', '20%', '40%', '60%', '80%', '100%']);
    expect(lin.toPx(0)).toBe(300); // y axes: p0 is the bottom
  });
});

const steps = Array.from({ length: 400 }, (_, i) => i * 75);
const SPEC: ChartSpec = {
  x: { title: 'tick (steps along the path)', rangemode: 'tozero' },
  y: { title: 'loss (cross-entropy, nats)', rangemode: 'tozero' },
  y2: { title: 'test accuracy (%)', range: [0, 1], percent: true, dtick: 0.2, grid: false },
  traces: [
    {
      name: 'train loss (mini-batch moving average)',
      x: steps,
      y: steps.map((t) => 2 / (1 + t / 500)),
      color: '#7b61ff',
    },
    { name: 'test loss', x: [0, 15000, 29925], y: [2.3, 0.1, NaN], mode: 'lines+markers', color: '#56b4e9' },
    {
      name: 'test accuracy (right axis)',
      x: [0, 29925],
      y: [0.1, 0.98],
      yaxis: 'y2',
      mode: 'lines+markers',
      color: '#2a9d5c',
    },
  ],
  colors: PLOT_COLORS.dark,
  fontSize: 13,
};

const overlap = (a: Box, b: Box) =>
  Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
  Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;

function overlapsOf(labels: Label[]): string[] {
  const found: string[] = [];
  labels.forEach((a, i) =>
    labels.slice(i + 1).forEach((b) => overlap(a.box, b.box) && found.push(`"${a.text}" × "${b.text}"`)),
  );
  return found;
}

describe('the live chart (plots/chart/render.ts)', () => {
  it.each([320, 480, 640, 1000])('lays out titles, ticks and legend without overlaps at %i px', (width) => {
    const svg = new SvgPainter(width, 380);
    const g = renderChart(svg, SPEC);
    expect(overlapsOf(g.labels)).toEqual([]);
    for (const l of g.labels) {
      expect(l.box.left).toBeGreaterThanOrEqual(-0.5);
      expect(l.box.right).toBeLessThanOrEqual(width + 0.5);
      expect(l.box.top).toBeGreaterThanOrEqual(-0.5);
      expect(l.box.bottom).toBeLessThanOrEqual(380.5);
    }
    // Every title is drawn (shortened if it must be), the right axis in percent.
    expect(g.labels.filter((l) => l.group.endsWith('title'))).toHaveLength(3);
    expect(g.labels.filter((l) => l.group === 'y2tick').map((l) => l.text)).toContain('100%');
    expect(g.labels.filter((l) => l.group === 'xtick').map((l) => l.text)).toContain('10k');
  });

  it('wraps the legend at narrow widths and keeps the plot area below it', () => {
    const narrow = renderChart(new SvgPainter(320, 380), SPEC);
    const wide = renderChart(new SvgPainter(1000, 380), SPEC);
    expect(narrow.plot.top).toBeGreaterThan(wide.plot.top);
    const legendBottom = Math.max(...narrow.labels.filter((l) => l.group === 'legend').map((l) => l.box.bottom));
    expect(narrow.plot.top).toBeGreaterThan(legendBottom);
  });

  it('draws compared runs dotted, skips NaN and non-positive log values, and reads out the nearest points', () => {
    const svg = new SvgPainter(640, 380);
    const spec: ChartSpec = {
      ...SPEC,
      y: { title: 'distance', type: 'log' },
      y2: undefined,
      traces: [
        { name: 'conv1', x: [0, 1, 2, 3], y: [4, 0, NaN, 1], color: '#0072b2' },
        { name: 'conv1 — compared run', x: [0, 3], y: [5, 2], color: '#0072b2', compared: true },
      ],
    };
    const g = renderChart(svg, { ...spec, hoverX: null });
    const [px] = project(spec.traces[0], g.x, g.y);
    expect(px).toHaveLength(2); // 0 and NaN are not drawn on a log axis
    expect(svg.toString()).toContain('stroke-dasharray="2 3"');
    const hovered = renderChart(new SvgPainter(640, 380), { ...spec, hoverX: g.x.toPx(2.9) });
    expect(hovered.hover.map((h) => [h.name, h.x, h.y])).toEqual([
      ['conv1', 3, 1],
      ['conv1 — compared run', 3, 2],
    ]);
  });

  it('draws marker symbols, hollow rings and per-point colours; the legend sample can take its own colour', () => {
    const svg = new SvgPainter(640, 380);
    const spec: ChartSpec = {
      ...SPEC,
      y2: undefined,
      traces: [
        { name: 'squares', x: [1], y: [1], mode: 'markers', color: '#111111', marker: { symbol: 'square', radius: 4 } },
        { name: 'diamonds', x: [2], y: [1], mode: 'markers', color: '#222222', marker: { symbol: 'diamond' } },
        { name: 'ring', x: [3], y: [1], mode: 'markers', color: '#333333', marker: { hollow: true, outlineWidth: 2 } },
        {
          name: 'by tick',
          x: [1, 2],
          y: [2, 2],
          mode: 'markers',
          color: '#444444',
          marker: { colors: ['#aa0000', '#00aa00'] },
        },
        { name: 'white line', x: [0, 3], y: [0, 0], color: '#ffffff', legendColor: '#555555' },
        { name: 'hidden', x: [0], y: [0], color: '#666666', legend: false },
      ],
    };
    const g = renderChart(svg, spec);
    const out = svg.toString();
    expect(out.match(/<polygon /g)).toHaveLength(4); // the square and diamond markers and their legend samples
    expect(out).toContain('fill="none" stroke="#333333" stroke-width="2"');
    expect(out).toContain('fill="#aa0000"');
    expect(out).toContain('fill="#00aa00"');
    expect(out).toContain('stroke="#555555"'); // the white line's legend sample
    expect(g.labels.filter((l) => l.group === 'legend').map((l) => l.text)).not.toContain('hidden');
  });

  it("in 'xy' mode reads out the one point nearest the pointer, after the rows for the pointer's place", () => {
    const spec: ChartSpec = {
      ...SPEC,
      y2: undefined,
      x: { title: 'u', range: [0, 10] },
      y: { title: 'v', range: [0, 10] },
      hoverMode: 'xy',
      hoverRows: (u, v) => [`at ${u.toFixed(0)}, ${v.toFixed(0)}`],
      traces: [
        { name: 'path', x: [2, 5, 8], y: [2, 8, 2], mode: 'markers', color: '#1f77b4', hoverText: (i) => `tick ${i}` },
        { name: 'line', x: [0, 10], y: [0, 0], color: '#d62728', hover: false },
      ],
    };
    const plain = renderChart(new SvgPainter(640, 380), spec);
    const at = { hoverX: plain.x.toPx(5.2), hoverY: plain.y.toPx(7.6) };
    const svg = new SvgPainter(640, 380);
    const g = renderChart(svg, { ...spec, ...at });
    expect(g.hover.map((h) => [h.name, h.x, h.y])).toEqual([['path', 5, 8]]);
    expect(svg.toString()).toContain('tick 1');
    expect(svg.toString()).toContain('at 5, 8');
  });

  it('places turned text as it is drawn (a y title reads bottom to top)', () => {
    const b = textBox(100, 10, 200, { size: 10, color: '', align: 'center', baseline: 'top', vertical: true });
    expect(b).toEqual({ left: 10, top: 150, right: 22, bottom: 250 });
  });
});
