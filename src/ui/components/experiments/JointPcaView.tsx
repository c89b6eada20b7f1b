import { useMemo } from 'react';
import { POINT_TENSORS } from '../../../core/llpf/pathPoint';
import type { TensorPca } from '../../../core/experiments/jointPca';
import { useExperiments, experiments } from '../../experiments/experimentsStore';
import { pcaTraces } from '../../experiments/views';
import { usePlot, type Figure } from './usePlot';

const pct = (x: number | undefined) => (x === undefined ? '—' : `${(x * 100).toFixed(1)} %`);

function figure(t: TensorPca, tensor: string): Figure {
  const traces = pcaTraces(t);
  const maxTick = Math.max(1, ...traces.flatMap((r) => r.tick));
  return {
    data: traces.map((r, i) => ({
      type: 'scatter',
      mode: 'lines+markers',
      name: r.run,
      x: r.x,
      y: r.y,
      text: r.tick.map((k) => `${r.run}, tick ${k}`),
      hoverinfo: 'text',
      line: { color: 'rgba(120,120,120,0.5)', width: 1 },
      marker: {
        size: 6,
        color: r.tick,
        cmin: 0,
        cmax: maxTick,
        colorscale: 'Viridis',
        showscale: i === 0,
        colorbar: { title: { text: 'tick' } },
      },
    })),
    layout: {
      title: { text: `${tensor}: ${t.points} snapshots of ${t.runs.length} paths, one joint fit`, font: { size: 14 } },
      margin: { l: 70, r: 10, t: 36, b: 50 },
      xaxis: { title: { text: `PC1, ${pct(t.explained[0])} of variance (parameter units)` } },
      yaxis: { title: { text: `PC2, ${pct(t.explained[1])} of variance (parameter units)` } },
      showlegend: false,
      height: 420,
    },
  };
}

/** Figure 4: per-layer PCA of all paths' snapshots together, coloured by tick, one trace per path. */
export function JointPcaView() {
  const pca = useExperiments((s) => s.pca);
  const tensor = useExperiments((s) => s.pcaTensor);
  const t = pca?.tensors[tensor] ?? null;
  const fig = useMemo(() => (t ? figure(t, tensor) : null), [t, tensor]);
  const el = usePlot(fig);
  return (
    <section className="exp-view" data-testid="exp-pca" data-runs={t?.runs.length ?? 0} data-points={t?.points ?? 0}>
      <h3>Figure 4: joint per-layer PCA of all paths</h3>
      <p className="note caption">
        What you see: every snapshot of every complete path, for one tensor, projected on the two principal axes of all
        of them fitted together (centred, not scaled); one trace per path, colour = tick.
      </p>
      <div className="row">
        <label>
          tensor
          <select
            value={tensor}
            data-testid="exp-pca-tensor"
            onChange={(e) => experiments.dispatch({ type: 'pcaTensor', tensor: e.target.value })}
          >
            {POINT_TENSORS.map((n) => (
              <option key={n} value={n}>
                {n} (
                {pca?.tensors[n] ? `${pct(pca.tensors[n].explained[0])} / ${pct(pca.tensors[n].explained[1])}` : '—'})
              </option>
            ))}
          </select>
        </label>
        {t && (
          <span className="note" data-testid="exp-pca-explained">
            d = {t.dims.toLocaleString('en')} · explained variance PC1 {pct(t.explained[0])}, PC2 {pct(t.explained[1])}
          </span>
        )}
      </div>
      {!t && <p className="note">The joint PCA appears when a complete pair has snapshots (snapshot every &gt; 0).</p>}
      <div ref={el} className="plot" data-testid="exp-plot-pca" hidden={!t} />
    </section>
  );
}
