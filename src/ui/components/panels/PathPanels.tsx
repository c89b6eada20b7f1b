import { useRef } from 'react';
import type { PathSeries } from '../../pathSeries';
import { LAYER_COLORS, LAYER_GROUPS, METRIC_COLORS } from '../../plots/palette';
import { useUi } from '../../state/store';
import { PcaGrid } from './PcaGrid';
import { SeriesPlot, exportPlot, type TraceSpec } from './SeriesPlot';

const tick = (s: PathSeries, i: number) => s.tick.data[i];
const TICK_AXIS = { title: { text: 'tick (steps along the path)' }, rangemode: 'tozero' };
/**
 * Margins (px) with room for the legend above and the axis titles: axes grow them when needed
 * (automargin), but a first draw that fits needs no second layout pass (a shorter task).
 */
const MARGIN_LEGEND_ROWS = { l: 64, r: 20, t: 58, b: 50 };
/** Accuracy as a fraction on the fixed [0, 1] axis, labelled in percent. */
const ACCURACY_AXIS = { range: [0, 1], tickformat: '.0%', dtick: 0.2 };
/** Accuracy zoomed on the data (a peak of a few tenths of a percent shows) but never outside [0, 1]. */
const ACCURACY_ZOOMED = { tickformat: '.1%', autorangeoptions: { clipmin: 0, clipmax: 1 }, nticks: 6 };

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
  const evalSubset = useUi((s) => s.run?.config.evalSubset ?? 1000);
  if (!mode) return null;
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
          layout={{
            xaxis: TICK_AXIS,
            yaxis: { title: { text: 'loss (cross-entropy, nats)' }, rangemode: 'tozero' },
            margin: { ...MARGIN_LEGEND_ROWS, r: 68 },
            yaxis2: {
              title: { text: 'test accuracy (%)' },
              overlaying: 'y',
              side: 'right',
              showgrid: false,
              ...ACCURACY_AXIS,
            },
          }}
        />
      </Panel>
      <Panel
        name="distance"
        title={mode === 'm2m' ? 'Distance to the destination B, per layer' : 'Distance to the origin, per layer'}
        caption={`each layer’s distance to ${destination} (weights and bias together) shrinks as the path advances.`}
      >
        <SeriesPlot
          testId="plot-distance"
          traces={DISTANCE_TRACES}
          layout={{
            margin: { ...MARGIN_LEGEND_ROWS, t: 40 },
            xaxis: TICK_AXIS,
            yaxis: { type: 'log', title: { text: '‖P − D‖ (L2 norm, log scale)' } },
          }}
        />
      </Panel>
      {mode === 'm2o' && (
        <Panel
          name="variance"
          title="Test accuracy against layer variance"
          caption="one curve per layer’s weights: the path runs left to right as the variance shrinks; accuracy peaks on a smaller sphere."
        >
          <SeriesPlot
            testId="plot-variance"
            traces={VARIANCE_TRACES}
            layout={{
              margin: { ...MARGIN_LEGEND_ROWS, l: 72, t: 40 },
              xaxis: { type: 'log', title: { text: 'weight variance (log scale)' }, autorange: 'reversed' },
              yaxis: { title: { text: 'test accuracy (%)' }, ...ACCURACY_ZOOMED },
            }}
          />
        </Panel>
      )}
      <PcaGrid />
    </div>
  );
}
