import { useCallback, useEffect, useState } from 'react';
import { LAYER_GROUPS, layerColor } from '../../plots/palette';
import { currentTheme, type PlotColors } from '../../plots/theme';
import { store, useUi } from '../../state/store';
import { pcaChart } from './PcaPlot';
import { useChart } from './useChart';
import { useStaged } from './useStaged';

const PCA_TENSORS = LAYER_GROUPS.flatMap((g) => [`${g}.weight`, `${g}.bias`]);
/** One small PCA panel per tensor; points coloured by tick. Fits run in the PCA worker. */
export function PcaGrid() {
  const every = useUi((s) => s.run?.config.snapshotEvery ?? 0);
  const ready = useStaged(1) > 0;
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
      <div className="pca-grid">{ready && PCA_TENSORS.map((t) => <PcaPlot key={t} tensor={t} />)}</div>
    </section>
  );
}

/**
 * One tensor's panel on a canvas (plots/chartView). A refit moves every point (new axes), so each
 * view is drawn whole: about a millisecond, in a task of its own, and only while on screen; the
 * point count is kept current either way.
 */
function PcaPlot({ tensor }: { tensor: string }) {
  // A new object on every update, so the source (and so the chart) follows the view the store holds.
  const [shown, setShown] = useState(() => ({ view: store.pca.get(tensor) }));
  useEffect(() => store.subscribePca(() => setShown({ view: store.pca.get(tensor) })), [tensor]);
  const source = useCallback(
    (colors: PlotColors) => pcaChart(tensor, shown.view, currentTheme(), colors),
    [tensor, shown],
  );
  const el = useChart('pca', source, true);
  return (
    <div className="pca-plot" data-testid={`pca-${tensor}`} data-points={shown.view?.ticks.length ?? 0}>
      <h4 style={{ color: layerColor(tensor) }}>{tensor}</h4>
      <div className="pca-chart" ref={el} />
    </div>
  );
}
