import type { PcaView } from '../../../core/analysis/pcaTracker';
import type { Box, Painter } from '../../plots/chart/painter';
import type { ChartSpec, Label } from '../../plots/chart/render';
import { MIN_POINTS_FOR_PC2, hasSecondComponent } from '../../plots/pcaAxes';
import { tickColour } from '../../plots/palette';
import type { PlotColors, Theme } from '../../plots/theme';

/** The PCA panels' text is smaller than the big panels': ten of them sit five across. */
const PCA_FONT_SIZE = 11;

/** "· 12 % var." for an explained-variance fraction (one decimal below 10 %, "< 0.1 %" below that). */
export function explainedLabel(x: number | undefined): string {
  if (x === undefined) return '';
  return x < 0.001 ? ' · < 0.1 % var.' : ` · ${(x * 100).toFixed(x < 0.1 ? 1 : 0)} % var.`;
}

/**
 * One tensor's path on its first two principal components (distances in weight space), points
 * coloured by tick from early to late, pure. Below three snapshots PC2 is rounding noise (×10⁻¹⁹):
 * the points sit on the PC1 axis and the PC2 axis says what it needs.
 */
export function pcaChart(
  tensor: string,
  v: PcaView | undefined,
  theme: Theme,
  colors: PlotColors,
): { spec: ChartSpec; extra: Record<string, unknown> } {
  const n = v?.ticks.length ?? 0;
  const pc2 = hasSecondComponent(v);
  const xs = new Array<number>(n);
  const ys = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    xs[i] = v!.coords[2 * i];
    ys[i] = pc2 ? v!.coords[2 * i + 1] : 0;
  }
  const ticks = v ? Array.from(v.ticks) : [];
  const [first, last] = [ticks[0] ?? 0, ticks[n - 1] ?? 0];
  const marker = {
    radius: 3.5,
    colors: ticks.map((t) => tickColour(theme, last > first ? (t - first) / (last - first) : 0)),
  };
  const noneYet = (p: Painter, plot: Box): Label[] => {
    if (n) return [];
    const text = 'no snapshot yet';
    const box = p.text(text, (plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2, {
      size: PCA_FONT_SIZE,
      color: colors.muted,
      align: 'center',
      baseline: 'middle',
    });
    return [{ text, group: 'point', box }];
  };
  const pc1Title = `PC1${explainedLabel(v?.explained[0])}`;
  const spec: ChartSpec = {
    x: { title: pc1Title },
    y: pc2
      ? { title: `PC2${explainedLabel(v?.explained[1])}` }
      : {
          title: n ? `PC2: needs ≥ ${MIN_POINTS_FOR_PC2} snapshots` : 'PC2',
          range: [-1, 1],
          ticks: false,
          grid: false,
        },
    traces: [
      {
        name: tensor,
        x: xs,
        y: ys,
        mode: 'lines+markers',
        color: colors.muted,
        width: 1,
        marker,
        legend: false,
        hoverText: (i) => `tick ${ticks[i]}`,
      },
    ],
    colors,
    fontSize: PCA_FONT_SIZE,
    hoverMode: 'xy',
    underlay: noneYet,
    summary: n
      ? `${tensor}: ${n} snapshots from tick ${first} to ${last} on ${pc1Title}${pc2 ? ` and PC2${explainedLabel(v?.explained[1])}` : ''}`
      : `${tensor}: no snapshot yet`,
  };
  return { spec, extra: { ticks } };
}
