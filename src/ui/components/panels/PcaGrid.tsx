import { useEffect, useRef, useState } from 'react';
import Plotly from 'plotly.js/dist/plotly.min.js';
import type { PcaView } from '../../../core/analysis/pcaTracker';
import { MIN_POINTS_FOR_PC2, hasSecondComponent } from '../../plots/pcaAxes';
import { requestDrawWhenVisible, unwatch } from '../../plots/visibility';
import { LAYER_GROUPS, layerColor, tickColorscale } from '../../plots/palette';
import { PLOT_COLORS, currentTheme, onThemeChange, themedLayout } from '../../plots/theme';
import { store, useUi } from '../../state/store';

const PCA_TENSORS = LAYER_GROUPS.flatMap((g) => [`${g}.weight`, `${g}.bias`]);
/** One small PCA panel per tensor; points coloured by tick. Fits run in the PCA worker. */
export function PcaGrid() {
  const every = useUi((s) => s.run?.config.snapshotEvery ?? 0);
  return (
    <section className="panel pca" data-testid="panel-pca" aria-label="Per-layer PCA of the path">
      <header>
        <h3>Per-layer PCA of the path</h3>
      </header>
      <p className="note caption">
        {every > 0
          ? 'What you see: each tensor’s path, its snapshots projected on their first two principal components ' +
            `(distances in weight space), colour = tick, from early (purple or blue) to late (yellow); a snapshot every ${every} ` +
            'ticks. With fewer than three snapshots only PC1 is meaningful.'
          : 'What you see: nothing — snapshots are off for this run (snapshot every = 0), so there is no PCA.'}
      </p>
      <div className="pca-grid">
        {PCA_TENSORS.map((t) => (
          <PcaPlot key={t} tensor={t} />
        ))}
      </div>
    </section>
  );
}

/** The layout of one PCA panel for a view (or none yet). */
function pcaLayout(tensor: string, v: PcaView | undefined): Record<string, unknown> {
  const pct = (x: number | undefined) =>
    x === undefined ? '' : x < 0.001 ? ' · < 0.1 % var.' : ` · ${(x * 100).toFixed(x < 0.1 ? 1 : 0)} % var.`;
  const pc2 = hasSecondComponent(v);
  const n = v?.ticks.length ?? 0;
  const small = { size: 11 };
  const fixed = { automargin: false, zeroline: false };
  return themedLayout({
    title: { text: tensor, font: { size: 13, color: layerColor(tensor) }, x: 0.02, xanchor: 'left' },
    // Fixed margins, wide enough for four tick labels and a title: automargin measured every label on each
    // redraw (a third of a PCA panel's draw time) and redrew again when a margin moved.
    margin: { l: 54, r: 8, t: 26, b: 40 },
    xaxis: { ...fixed, title: { text: `PC1${pct(v?.explained[0])}`, font: small }, tickfont: small, nticks: 4 },
    yaxis: pc2
      ? { ...fixed, title: { text: `PC2${pct(v?.explained[1])}`, font: small }, tickfont: small, nticks: 4 }
      : {
          ...fixed,
          title: { text: n ? `PC2: needs ≥ ${MIN_POINTS_FOR_PC2} snapshots` : 'PC2', font: small },
          range: [-1, 1],
          showticklabels: false,
        },
    annotations: n ? [] : [{ text: 'no snapshot yet', showarrow: false, xref: 'paper', yref: 'paper', x: 0.5, y: 0.5 }],
    showlegend: false,
  });
}

function PcaPlot({ tensor }: { tensor: string }) {
  const el = useRef<HTMLDivElement>(null);
  const [points, setPoints] = useState(0);
  useEffect(() => {
    const div = el.current!;
    let cancel: (() => void) | null = null;
    // A refit moves every point (new axes), so each view is drawn whole with Plotly.react; views are small
    // (one point per snapshot), each plot draws in its own task (drawScheduler), and only when on screen
    // (plots/visibility.ts). The point count is kept current either way.
    const draw = () => {
      const v = store.pca.get(tensor);
      const n = v ? v.ticks.length : 0;
      const pc2 = hasSecondComponent(v);
      const xs = new Array(n);
      const ys = new Array(n);
      for (let i = 0; i < n; i++) {
        xs[i] = v!.coords[2 * i];
        // Below three points PC2 is rounding noise (×10⁻¹⁹): the points sit on the PC1 axis.
        ys[i] = pc2 ? v!.coords[2 * i + 1] : 0;
      }
      const theme = currentTheme();
      void Plotly.react(
        div,
        [
          {
            type: 'scatter',
            mode: 'lines+markers',
            x: xs,
            y: ys,
            line: { color: PLOT_COLORS[theme].muted, width: 1 },
            marker: {
              size: 6,
              color: v ? Array.from(v.ticks) : [],
              colorscale: tickColorscale(theme),
              showscale: false,
            },
            hovertemplate: 'tick %{marker.color}<extra></extra>',
          },
        ],
        pcaLayout(tensor, v),
        { displayModeBar: false, responsive: true },
      );
    };
    const later = () => {
      setPoints(store.pca.get(tensor)?.ticks.length ?? 0);
      cancel = requestDrawWhenVisible(div, draw, 'pca');
    };
    later();
    const offPca = store.subscribePca(later);
    const offTheme = onThemeChange(later);
    return () => {
      cancel?.();
      offPca();
      offTheme();
      unwatch(div);
      Plotly.purge(div);
    };
  }, [tensor]);
  return <div ref={el} className="pca-plot" data-testid={`pca-${tensor}`} data-points={points} />;
}
