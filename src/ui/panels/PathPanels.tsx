import { useEffect, useRef, useState } from 'react';
import Plotly from 'plotly.js/dist/plotly.min.js';
import { SeriesPlot, exportPlot, type TraceSpec } from './SeriesPlot';
import { store, useUi } from '../store';
import { queuePlotCreation } from './plotQueue';

const GROUP_COLORS: Record<string, string> = { conv1: '#1f77b4', conv2: '#ff7f0e', fc1: '#2ca02c', fc2: '#d62728', fc3: '#9467bd' };
const GROUPS = Object.keys(GROUP_COLORS);

/** Only the ticks where a test evaluation ran (the others are NaN). */
const evaluated = (s: import('../pathSeries').PathSeries, from: number) => {
  const acc = s.testAccuracy.view(from);
  return [...acc.keys()].filter((i) => !Number.isNaN(acc[i])).map((i) => i + from);
};

const LOSS_TRACES: TraceSpec[] = [
  { name: 'training loss (moving average of the tick’s mini-batches)', x: (s, f) => s.tick.view(f), y: (s, f) => s.trainLoss.view(f), color: '#1f77b4' },
  { name: 'test loss', x: (s, f) => evaluated(s, f).map((i) => s.tick.data[i]), y: (s, f) => evaluated(s, f).map((i) => s.testLoss.data[i]), mode: 'lines+markers', color: '#ff7f0e' },
  { name: 'test accuracy (right axis)', x: (s, f) => evaluated(s, f).map((i) => s.tick.data[i]), y: (s, f) => evaluated(s, f).map((i) => s.testAccuracy.data[i]), mode: 'lines+markers', yaxis: 'y2', color: '#2ca02c' },
];

const DISTANCE_TRACES: TraceSpec[] = GROUPS.map((g) => ({
  name: g,
  x: (s, f) => s.tick.view(f),
  y: (s, f) => s.groupDistance(g, f),
  color: GROUP_COLORS[g],
}));

const VARIANCE_TRACES: TraceSpec[] = GROUPS.map((g) => ({
  name: `${g}.weight`,
  x: (s, f) => evaluated(s, f).map((i) => s.tensors.get(`${g}.weight`)!.variance.data[i]),
  y: (s, f) => evaluated(s, f).map((i) => s.testAccuracy.data[i]),
  mode: 'lines+markers',
  color: GROUP_COLORS[g],
}));

function Panel({ title, note, children, name }: { title: string; note: string; children: React.ReactNode; name: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const plot = () => ref.current?.querySelector('.plot') as HTMLElement | null;
  return (
    <section className="panel" ref={ref}>
      <header>
        <h3>{title}</h3>
        <span className="exports">
          <button onClick={() => plot() && void exportPlot(plot()!, 'png', name)}>PNG</button>
          <button onClick={() => plot() && void exportPlot(plot()!, 'svg', name)}>SVG</button>
        </span>
      </header>
      <p className="note">{note}</p>
      {children}
    </section>
  );
}

export function PathPanels() {
  const mode = useUi((s) => s.run?.config.mode ?? null);
  const evalSubset = useUi((s) => s.run?.config.evalSubset ?? 1000);
  if (!mode) return null;
  return (
    <div className="panels">
      <Panel name="loss" title="Loss along the path" note={`Test metrics on the first ${evalSubset} test images, on all 10,000 at the first and last tick.`}>
        <SeriesPlot testId="plot-loss" traces={LOSS_TRACES} layout={{ xaxis: { title: { text: 'tick' } }, yaxis: { title: { text: 'loss' }, rangemode: 'tozero' }, yaxis2: { title: { text: 'test accuracy' }, overlaying: 'y', side: 'right', range: [0, 1] } }} />
      </Panel>
      <Panel name="distance" title={mode === 'm2m' ? 'Distance to the destination B, per layer' : 'Distance to the origin, per layer'} note="‖P − D‖ over each layer’s weight and bias (true L2 norm), log scale.">
        <SeriesPlot testId="plot-distance" traces={DISTANCE_TRACES} layout={{ xaxis: { title: { text: 'tick' } }, yaxis: { type: 'log', title: { text: '‖P − D‖' } } }} />
      </Panel>
      {mode === 'm2o' && (
        <Panel name="variance" title="Test accuracy against layer variance" note="M2O shrinks every layer’s variance; the paper finds accuracy peaks on a smaller sphere.">
          <SeriesPlot testId="plot-variance" traces={VARIANCE_TRACES} layout={{ xaxis: { type: 'log', title: { text: 'weight variance' }, autorange: 'reversed' }, yaxis: { title: { text: 'test accuracy' } } }} />
        </Panel>
      )}
      <PcaGrid />
    </div>
  );
}

const PCA_TENSORS = GROUPS.flatMap((g) => [`${g}.weight`, `${g}.bias`]);

/** One small PCA panel per tensor; points coloured by tick. Fits run in the PCA worker. */
function PcaGrid() {
  const every = useUi((s) => s.run?.config.snapshotEvery ?? 0);
  return (
    <section className="panel pca">
      <header>
        <h3>Per-layer PCA of the path</h3>
      </header>
      <p className="note">
        {every > 0
          ? `Each tensor’s snapshots (every ${every} ticks), centred, first two components; colour = tick. Axes are refitted as points arrive (every snapshot at first, then when the count grows by 20 %); in between, new points are projected onto the current axes.`
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
    let frame = 0;
    const layout = (explained: number[]) => ({
      title: { text: tensor, font: { size: 12 } },
      margin: { l: 35, r: 10, t: 28, b: 30 },
      xaxis: { title: { text: explained[0] !== undefined ? `PC1 ${(explained[0] * 100).toFixed(0)}%` : 'PC1', font: { size: 10 } } },
      yaxis: { title: { text: explained[1] !== undefined ? `PC2 ${(explained[1] * 100).toFixed(0)}%` : 'PC2', font: { size: 10 } } },
      showlegend: false,
    });
    let created = false;
    const draw = () => {
      frame = 0;
      if (!created) return;
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
        [{ type: 'scatter', mode: 'lines+markers', x: xs, y: ys, line: { color: '#bbb', width: 1 }, marker: { size: 5, color: v ? Array.from(v.ticks) : [], colorscale: 'Viridis', showscale: false } }],
        layout(v?.explained ?? []),
        { displayModeBar: false, responsive: true },
      );
    };
    const cancelCreation = queuePlotCreation(() => {
      created = true;
      draw();
    });
    const unsubscribe = store.subscribePca(() => {
      if (!frame) frame = requestAnimationFrame(draw);
    });
    return () => {
      cancelCreation();
      unsubscribe();
      if (frame) cancelAnimationFrame(frame);
      Plotly.purge(div);
    };
  }, [tensor]);
  return <div ref={el} className="pca-plot" data-testid={`pca-${tensor}`} data-points={points} />;
}
