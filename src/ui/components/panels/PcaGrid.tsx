import { useEffect, useRef, useState } from 'react';
import Plotly from 'plotly.js/dist/plotly.min.js';
import { requestDraw } from '../../plots/drawScheduler';
import { store, useUi } from '../../state/store';

const GROUPS = ['conv1', 'conv2', 'fc1', 'fc2', 'fc3'];
const PCA_TENSORS = GROUPS.flatMap((g) => [`${g}.weight`, `${g}.bias`]);

/** One small PCA panel per tensor; points coloured by tick. Fits run in the PCA worker. */
export function PcaGrid() {
  const every = useUi((s) => s.run?.config.snapshotEvery ?? 0);
  return (
    <section className="panel pca">
      <header>
        <h3>Per-layer PCA of the path</h3>
      </header>
      <p className="note">
        {every > 0
          ? `Each tensor’s snapshots (every ${every} ticks), centred, first two components; colour = tick. ` +
            'Axes are refitted as points arrive (every snapshot at first, then when the count grows by 20 %); ' +
            'in between, new points are projected onto the current axes.'
          : 'Snapshots are off (snapshot every = 0), so there is no PCA for this run.'}
      </p>
      <div className="pca-grid">
        {PCA_TENSORS.map((t) => (
          <PcaPlot key={t} tensor={t} />
        ))}
      </div>
    </section>
  );
}

function PcaPlot({ tensor }: { tensor: string }) {
  const el = useRef<HTMLDivElement>(null);
  const [points, setPoints] = useState(0);
  useEffect(() => {
    const div = el.current!;
    let cancel: (() => void) | null = null;
    const layout = (explained: number[]) => ({
      title: { text: tensor, font: { size: 12 } },
      margin: { l: 35, r: 10, t: 28, b: 30 },
      xaxis: {
        title: {
          text: explained[0] !== undefined ? `PC1 ${(explained[0] * 100).toFixed(0)}%` : 'PC1',
          font: { size: 10 },
        },
      },
      yaxis: {
        title: {
          text: explained[1] !== undefined ? `PC2 ${(explained[1] * 100).toFixed(0)}%` : 'PC2',
          font: { size: 10 },
        },
      },
      showlegend: false,
    });
    // A refit moves every point (new axes), so each view is drawn whole with Plotly.react; views are small
    // (one point per snapshot) and each plot draws in its own task (drawScheduler).
    const draw = () => {
      const v = store.pca.get(tensor);
      const n = v ? v.ticks.length : 0;
      const xs = new Array(n);
      const ys = new Array(n);
      for (let i = 0; i < n; i++) {
        xs[i] = v!.coords[2 * i];
        ys[i] = v!.coords[2 * i + 1];
      }
      setPoints(n);
      void Plotly.react(
        div,
        [
          {
            type: 'scatter',
            mode: 'lines+markers',
            x: xs,
            y: ys,
            line: { color: '#bbb', width: 1 },
            marker: { size: 5, color: v ? Array.from(v.ticks) : [], colorscale: 'Viridis', showscale: false },
          },
        ],
        layout(v?.explained ?? []),
        { displayModeBar: false, responsive: true },
      );
    };
    cancel = requestDraw(draw);
    const unsubscribe = store.subscribePca(() => (cancel = requestDraw(draw)));
    return () => {
      cancel?.();
      unsubscribe();
      Plotly.purge(div);
    };
  }, [tensor]);
  return <div ref={el} className="pca-plot" data-testid={`pca-${tensor}`} data-points={points} />;
}
