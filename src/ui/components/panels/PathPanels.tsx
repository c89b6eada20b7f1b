import { useRef } from 'react';
import type { Mode } from '../../../core/config';
import type { PathSeries } from '../../pathSeries';
import { LAYER_COLORS, LAYER_GROUPS, METRIC_COLORS } from '../../plots/palette';
import { useUi } from '../../state/store';
import { PcaGrid } from './PcaGrid';
import { RUN_PANEL_STAGES, useStaged } from './useStaged';
import type { AxisSpec } from '../../plots/chart/scale';
import { SeriesPlot, exportPlot, type TraceSpec } from './SeriesPlot';

const tick = (s: PathSeries, i: number) => s.tick.data[i];
const TICK_AXIS: AxisSpec = { title: 'tick (steps along the path)', rangemode: 'tozero' };
/** Accuracy as a fraction on the fixed [0, 1] axis, labelled in percent. */
const ACCURACY_AXIS: AxisSpec = {
  title: 'test accuracy (%)',
  range: [0, 1],
  percent: true,
  dtick: 0.2,
  grid: false,
};
/** Accuracy zoomed on the data (a peak of a few tenths of a percent shows) but never outside [0, 1]. */
const ACCURACY_ZOOMED: AxisSpec = { title: 'test accuracy (%)', percent: true, clip: [0, 1] };

/** Test metrics are NaN on ticks without an evaluation, so those traces hold the evaluated ticks only. */
const LOSS_TRACES: TraceSpec[] = [
  {
    name: 'train loss (mini-batch moving average)',
    x: tick,
    y: (s, i) => s.trainLoss.data[i],
    color: METRIC_COLORS.trainLoss,
  },
  { name: 'test loss', x: tick, y: (s, i) => s.testLoss.data[i], mode: 'lines+markers', color: METRIC_COLORS.testLoss },
  {
    name: 'test accuracy (right axis)',
    x: tick,
    y: (s, i) => s.testAccuracy.data[i],
    mode: 'lines+markers',
    yaxis: 'y2',
    color: METRIC_COLORS.testAccuracy,
  },
];

const DISTANCE_TRACES: TraceSpec[] = LAYER_GROUPS.map((g) => ({
  name: g,
  x: tick,
  y: (s, i) => s.groupDistanceAt(g, i),
  color: LAYER_COLORS[g],
}));

const VARIANCE_TRACES: TraceSpec[] = LAYER_GROUPS.map((g) => ({
  name: g,
  x: (s, i) => s.tensors.get(`${g}.weight`)!.variance.data[i],
  y: (s, i) => s.testAccuracy.data[i],
  mode: 'lines+markers',
  color: LAYER_COLORS[g],
}));

/** One panel: a title, a one-line "What you see" caption, its plot and PNG/SVG export buttons. */
function Panel({
  title,
  caption,
  children,
  name,
}: {
  title: string;
  caption: string;
  children: React.ReactNode;
  name: string;
}) {
  const ref = useRef<HTMLElement>(null);
  const plot = () => ref.current?.querySelector('.plot') as HTMLElement | null;
  return (
    <section className="panel" ref={ref} data-testid={`panel-${name}`} aria-label={title}>
      <header>
        <h3>{title}</h3>
        <span className="exports">
          <button aria-label={`${title}: download PNG`} onClick={() => plot() && void exportPlot(plot()!, 'png', name)}>
            PNG
          </button>
          <button aria-label={`${title}: download SVG`} onClick={() => plot() && void exportPlot(plot()!, 'svg', name)}>
            SVG
          </button>
        </span>
      </header>
      <p className="note caption">What you see: {caption}</p>
      {children}
    </section>
  );
}

/** The live panels of the current run: loss, per-layer distance, (M2O) accuracy against variance, PCA. */
export function PathPanels() {
  const mode = useUi((s) => s.run?.config.mode ?? null);
  return mode ? <StagedPanels mode={mode} /> : null;
}

/** The panels, mounted one per frame as a run first shows them (useStaged): loss first, then the rest. */
function StagedPanels({ mode }: { mode: Mode }) {
  const evalSubset = useUi((s) => s.run?.config.evalSubset ?? 1000);
  const stage = useStaged(RUN_PANEL_STAGES);
  const destination = mode === 'm2m' ? 'model B' : 'the origin';
  return (
    <div className={`panels ${mode}`} data-testid="path-panels">
      <Panel
        name="loss"
        title="Loss and accuracy along the path"
        caption={
          `the train loss stays low while the model walks to ${destination}; test loss and accuracy ` +
          `on ${evalSubset.toLocaleString('en')} test images at the evaluated ticks (all 10,000 at the first and last).`
        }
      >
        <SeriesPlot
          testId="plot-loss"
          traces={LOSS_TRACES}
          axes={{
            x: TICK_AXIS,
            y: { title: 'loss (cross-entropy, nats)', rangemode: 'tozero' },
            y2: ACCURACY_AXIS,
          }}
        />
      </Panel>
      {stage >= 1 && (
        <Panel
          name="distance"
          title={mode === 'm2m' ? 'Distance to the destination B, per layer' : 'Distance to the origin, per layer'}
          caption={`each layer’s distance to ${destination} (weights and bias together) shrinks as the path advances.`}
        >
          <SeriesPlot
            testId="plot-distance"
            traces={DISTANCE_TRACES}
            axes={{ x: TICK_AXIS, y: { type: 'log', title: '‖P − D‖ (L2 norm, log scale)' } }}
          />
        </Panel>
      )}
      {stage >= 2 && mode === 'm2o' && (
        <Panel
          name="variance"
          title="Test accuracy against layer variance"
          caption="one curve per layer’s weights: the path runs left to right as the variance shrinks; accuracy peaks on a smaller sphere."
        >
          <SeriesPlot
            testId="plot-variance"
            traces={VARIANCE_TRACES}
            axes={{ x: { type: 'log', title: 'weight variance (log scale)', reversed: true }, y: ACCURACY_ZOOMED }}
          />
        </Panel>
      )}
      {stage >= RUN_PANEL_STAGES && <PcaGrid />}
    </div>
  );
}
