import { useRef } from 'react';
import type { PathSeries } from '../../pathSeries';
import { useUi } from '../../state/store';
import { PcaGrid } from './PcaGrid';
import { SeriesPlot, exportPlot, type TraceSpec } from './SeriesPlot';

const GROUP_COLORS: Record<string, string> = {
  conv1: '#1f77b4',
  conv2: '#ff7f0e',
  fc1: '#2ca02c',
  fc2: '#d62728',
  fc3: '#9467bd',
};
export const GROUPS = Object.keys(GROUP_COLORS);

const tick = (s: PathSeries, i: number) => s.tick.data[i];

/** Test metrics are NaN on ticks without an evaluation, so those traces hold the evaluated ticks only. */
const LOSS_TRACES: TraceSpec[] = [
  {
    name: 'training loss (moving average of the tick’s mini-batches)',
    x: tick,
    y: (s, i) => s.trainLoss.data[i],
    color: '#1f77b4',
  },
  { name: 'test loss', x: tick, y: (s, i) => s.testLoss.data[i], mode: 'lines+markers', color: '#ff7f0e' },
  {
    name: 'test accuracy (right axis)',
    x: tick,
    y: (s, i) => s.testAccuracy.data[i],
    mode: 'lines+markers',
    yaxis: 'y2',
    color: '#2ca02c',
  },
];

const DISTANCE_TRACES: TraceSpec[] = GROUPS.map((g) => ({
  name: g,
  x: tick,
  y: (s, i) => s.groupDistanceAt(g, i),
  color: GROUP_COLORS[g],
}));

const VARIANCE_TRACES: TraceSpec[] = GROUPS.map((g) => ({
  name: `${g}.weight`,
  x: (s, i) => s.tensors.get(`${g}.weight`)!.variance.data[i],
  y: (s, i) => s.testAccuracy.data[i],
  mode: 'lines+markers',
  color: GROUP_COLORS[g],
}));

function Panel({
  title,
  note,
  children,
  name,
}: {
  title: string;
  note: string;
  children: React.ReactNode;
  name: string;
}) {
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
      <Panel
        name="loss"
        title="Loss along the path"
        note={`Test metrics on the first ${evalSubset} test images, on all 10,000 at the first and last tick.`}
      >
        <SeriesPlot
          testId="plot-loss"
          traces={LOSS_TRACES}
          layout={{
            xaxis: { title: { text: 'tick' } },
            yaxis: { title: { text: 'loss' }, rangemode: 'tozero' },
            yaxis2: { title: { text: 'test accuracy' }, overlaying: 'y', side: 'right', range: [0, 1] },
            // Room for the right axis' title, which overlapped its tick labels.
            margin: { l: 55, r: 60, t: 30, b: 40 },
          }}
        />
      </Panel>
      <Panel
        name="distance"
        title={mode === 'm2m' ? 'Distance to the destination B, per layer' : 'Distance to the origin, per layer'}
        note="‖P − D‖ over each layer’s weight and bias (true L2 norm), log scale."
      >
        <SeriesPlot
          testId="plot-distance"
          traces={DISTANCE_TRACES}
          layout={{ xaxis: { title: { text: 'tick' } }, yaxis: { type: 'log', title: { text: '‖P − D‖' } } }}
        />
      </Panel>
      {mode === 'm2o' && (
        <Panel
          name="variance"
          title="Test accuracy against layer variance"
          note="M2O shrinks every layer’s variance; the paper finds accuracy peaks on a smaller sphere."
        >
          <SeriesPlot
            testId="plot-variance"
            traces={VARIANCE_TRACES}
            layout={{
              xaxis: { type: 'log', title: { text: 'weight variance' }, autorange: 'reversed' },
              yaxis: { title: { text: 'test accuracy' } },
            }}
          />
        </Panel>
      )}
      <PcaGrid />
    </div>
  );
}
