import { describe, expect, it } from 'vitest';
import type { PcaView } from '../../src/core/analysis/pcaTracker';
import { explainedLabel, pcaChart } from '../../src/ui/components/panels/PcaPlot';
import { renderChart, type Label } from '../../src/ui/plots/chart/render';
import { SvgPainter } from '../../src/ui/plots/chart/svgPainter';
import { tickColour } from '../../src/ui/plots/palette';
import { PLOT_COLORS } from '../../src/ui/plots/theme';

const view = (n: number, explained: number[]): PcaView => ({
  ticks: Float64Array.from({ length: n }, (_, i) => i * 50),
  coords: Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 ? Math.sin(k) * 1e-19 + (n > 2 ? k / 7 : 0) : k * 0.3)),
  explained,
  refit: true,
});

const overlaps = (labels: Label[]) =>
  labels.flatMap((a, i) =>
    labels.slice(i + 1).flatMap((b) => {
      const w = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
      const h = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
      return w > 1 && h > 1 ? [`${a.text} × ${b.text}`] : [];
    }),
  );

describe('a per-layer PCA panel (panels/PcaPlot.ts)', () => {
  it('colours the snapshots by tick, early to late, and reads out a snapshot’s tick', () => {
    const { spec } = pcaChart('conv1.weight', view(5, [0.8, 0.15]), 'light', PLOT_COLORS.light);
    const t = spec.traces[0];
    expect(t.marker?.colors?.[0]).toBe(tickColour('light', 0));
    expect(t.marker?.colors?.[4]).toBe(tickColour('light', 1));
    expect(tickColour('light', 0)).toBe('rgb(68,1,84)'); // viridis starts dark purple…
    expect(tickColour('dark', 0)).toBe('rgb(111,140,255)'); // …and lighter on the dark theme
    expect(t.hoverText?.(3)).toBe('tick 150');
    expect(spec.x.title).toBe('PC1 · 80 % var.');
    expect(spec.y.title).toBe('PC2 · 15 % var.');
  });

  it('puts two snapshots on the PC1 axis and says what PC2 needs; none yet says so', () => {
    const two = pcaChart('fc1.bias', view(2, [1, 1e-12]), 'dark', PLOT_COLORS.dark).spec;
    expect(Array.from(two.traces[0].y)).toEqual([0, 0]); // PC2 is rounding noise (×10⁻¹⁹) below three
    expect(two.y.title).toBe('PC2: needs ≥ 3 snapshots');
    const g = renderChart(new SvgPainter(240, 184), two);
    expect(g.labels.filter((l) => l.group === 'ytick')).toEqual([]);
    const none = pcaChart('fc1.bias', undefined, 'dark', PLOT_COLORS.dark).spec;
    const labels = renderChart(new SvgPainter(240, 184), none).labels;
    expect(labels.map((l) => l.text)).toContain('no snapshot yet');
    expect(none.summary).toBe('fc1.bias: no snapshot yet');
  });

  it.each([180, 240, 330])('fits a %i px wide panel without overlapping labels', (width) => {
    const { spec } = pcaChart('conv2.weight', view(40, [0.6, 0.0004]), 'light', PLOT_COLORS.light);
    const g = renderChart(new SvgPainter(width, 184), spec);
    expect(overlaps(g.labels)).toEqual([]);
    expect(g.labels.filter((l) => l.group === 'xtick').length).toBeGreaterThanOrEqual(2);
    expect(explainedLabel(0.0004)).toBe(' · < 0.1 % var.');
    expect(explainedLabel(0.054)).toBe(' · 5.4 % var.');
  });
});
