import { useCallback } from 'react';
import {
  barrierOf,
  minTestAccuracyOf,
  pathCurve,
  pathEvalCurve,
  pointAt,
  sgdStepsOf,
  type TCurve,
} from '../../barrier';
import { bridge } from '../../bridge';
import type { ChartSource } from '../../plots/chartView';
import { endpointsReady, engineBusy, sideJobRunning } from '../../state/jobs';
import { AUTONEB_DEFAULTS, CURVE_DEFAULTS, TRAINED_POINTS } from '../../state/jobDefaults';
import { store, useUi } from '../../state/store';
import { useSeriesView } from '../../state/useSeriesView';
import type { BaselineView } from '../../state/uiState';
import type { BaselineKind } from '../../../worker/protocol';
import { barrierChart, KINDS } from './BarrierChartPlot';
import { KIND_COLORS } from './PlanePanelPlot';
import { useChart } from './useChart';
import './PlanePanel.css';

const ROW_NAMES: Record<BaselineKind, string> = {
  line: 'straight line',
  aligned: 'aligned line',
  bezier: 'Bezier curve',
  polychain: 'polychain',
  autoneb: 'AutoNEB',
};
/** Redraws the path at most this often while it streams (ms). */
const PATH_INTERVAL_MS = 300;

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)} %`);
const num = (x: number | null | undefined, digits = 3) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
const int = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toLocaleString('en'));

/** The LLPF path on the t axis: both measures of its loss, its SGD steps and lowest test accuracy. */
interface PathView extends TCurve {
  /** The baselines' measure (SPEC §9) at the evaluated ticks. */
  evaluated: TCurve & { samples: number };
  sgdSteps: number;
  minTestAccuracy: number | null;
}

const NO_PATH: PathView = {
  t: [],
  loss: [],
  evaluated: { t: [], loss: [], samples: 0 },
  sgdSteps: 0,
  minTestAccuracy: null,
};

/** The current M2M run's path. */
const readPath = (): PathView => {
  const run = store.get().run;
  if (run?.config.mode !== 'm2m') return NO_PATH;
  return {
    ...pathCurve(store.series, run.totalTicks),
    evaluated: pathEvalCurve(store.series, run.totalTicks),
    sgdSteps: sgdStepsOf(store.series),
    minTestAccuracy: minTestAccuracyOf(store.series),
  };
};

/** The current M2M run's path, refreshed while it streams. */
const usePathCurve = (): PathView => useSeriesView(readPath, PATH_INTERVAL_MS);

/** What a baseline's row says of its state: training progress, points evaluated, stopped or failed. */
function status(v: BaselineView | null): string {
  if (!v) return 'not run';
  if (v.state === 'failed') return 'failed';
  if (v.state === 'stopped') return 'stopped';
  const points = `${v.t.length} / ${v.total} points`;
  if (v.state === 'done' || v.t.length > 0 || !v.training) return points;
  const { step, totalSteps, loss } = v.training;
  return `training: ${int(step)} / ${int(totalSteps)} steps, loss ${num(loss)}`;
}

/** Train loss against position t for every path kind on the same two models (issue #13), with a table. */
export function BarrierChart() {
  const baselines = useUi((s) => s.baselines);
  const busy = useUi((s) => engineBusy(s) || !endpointsReady(s));
  const stoppable = useUi(sideJobRunning);
  const scrubTick = useUi((s) => s.scrubTick);
  const totalTicks = useUi((s) => s.run?.totalTicks ?? 0);
  const planePath = useUi((s) => (s.plane?.geometry?.path.runId === s.run?.runId ? s.plane?.geometry?.path : null));
  const path = usePathCurve();
  const el = useChart(
    'barrier',
    useCallback<ChartSource>(
      (colors, fontSize) => {
        const relaxing = baselines.autoneb?.state === 'running' ? baselines.autoneb.training?.pivots : null;
        const scrub = scrubTick === null ? null : pointAt(store.series, scrubTick, totalTicks);
        return barrierChart({ baselines, pivots: relaxing ?? null, path, scrub }, colors, fontSize);
      },
      [baselines, path, scrubTick, totalTicks],
    ),
  );
  const images = baselines.line?.trainImages ?? baselines.aligned?.trainImages ?? null;
  const run = (job: () => Promise<unknown>) => void job().catch(() => undefined); // errors are shown by the store
  return (
    <section className="panel barrier" data-testid="barrier-chart">
      <header>
        <h3>Barrier chart: train loss along every path between the same two models</h3>
        <div className="job-buttons">
          <button data-testid="run-bezier" disabled={busy} onClick={() => run(() => bridge.curve('bezier'))}>
            Train Bezier curve
          </button>
          <button data-testid="run-polychain" disabled={busy} onClick={() => run(() => bridge.curve('polychain'))}>
            Train polychain
          </button>
          <button data-testid="run-autoneb" disabled={busy} onClick={() => run(() => bridge.autoneb())}>
            Run AutoNEB
          </button>
          <button data-testid="stop-baseline" disabled={!stoppable} onClick={() => bridge.stopJob()}>
            Stop
          </button>
        </div>
      </header>
      <p className="note" data-testid="barrier-caption">
        What you see: the straight line from A to B climbs over a loss barrier; permuting B’s hidden units to match A
        lowers it; curves with a trained bend and the AutoNEB chain bend around it; the LLPF path joins the same two
        models with low loss all the way.
      </p>
      <div ref={el} className="plot" data-testid="plot-barrier" />
      <table className="barriers" data-testid="barrier-table">
        <thead>
          <tr>
            <th>path</th>
            <th>barrier (nats)</th>
            <th>max train loss (nats)</th>
            <th>min test accuracy</th>
            <th>length (parameter space)</th>
            <th>SGD steps</th>
            <th>status</th>
          </tr>
        </thead>
        <tbody>
          {KINDS.map((k) => {
            const v = baselines[k];
            return (
              <tr key={k} data-testid={`barrier-row-${k}`}>
                <td>
                  <span className="swatch" style={{ background: KIND_COLORS[k] }} /> {ROW_NAMES[k]}
                </td>
                <td>{num(v?.barrier)}</td>
                <td>{num(v?.trainLoss.length ? Math.max(...v.trainLoss) : null)}</td>
                <td>{v?.testAccuracy.length ? pct(Math.min(...v.testAccuracy.map((a) => a ?? 1))) : '—'}</td>
                <td>{num(v?.length, 2)}</td>
                <td>{int(v?.sgdSteps ?? v?.training?.step)}</td>
                <td>{status(v)}</td>
              </tr>
            );
          })}
          <tr data-testid="barrier-row-LLPF">
            <td>
              <span className="swatch" style={{ background: KIND_COLORS.path }} /> LLPF path
            </td>
            <td>{num(path.t.length > 1 ? barrierOf(path) : null)}</td>
            <td>{num(path.loss.length ? Math.max(...path.loss) : null)}</td>
            <td>{pct(path.minTestAccuracy)}</td>
            <td title="through the recorded snapshots (a lower bound on the path's length)">
              {planePath ? `≥ ${num(planePath.length, 2)}` : '—'}
            </td>
            <td>{path.t.length ? int(path.sgdSteps) : '—'}</td>
            <td data-testid="llpf-points">{path.t.length}</td>
          </tr>
          <tr data-testid="barrier-row-LLPF-evaluated">
            <td>
              <span className="swatch" style={{ background: KIND_COLORS.path }} /> LLPF path, as the lines are measured
            </td>
            <td>{num(path.evaluated.t.length > 1 ? barrierOf(path.evaluated) : null)}</td>
            <td>{num(path.evaluated.loss.length ? Math.max(...path.evaluated.loss) : null)}</td>
            <td colSpan={3} />
            <td>{path.evaluated.t.length ? `${path.evaluated.t.length} evaluated ticks` : '—'}</td>
          </tr>
        </tbody>
      </table>
      <p className="note">
        Lines, curves and AutoNEB: train loss on the first {images?.toLocaleString('en') ?? '10,000'} training images,
        test accuracy on all 10,000 test images. Path: the moving average of each tick’s mini-batch losses at t = tick /
        ticks; “as the lines are measured”: its train loss on the first{' '}
        {path.evaluated.samples ? path.evaluated.samples.toLocaleString('en') : '10,000'} training images at the
        evaluated ticks, the same measure as the lines. Barrier (SPEC §9): max<sub>t</sub> L(t) − [(1−t)·L(0) + t·L(1)].
        Curves: {CURVE_DEFAULTS.steps} SGD steps on the bend, then the curve at {TRAINED_POINTS} points; AutoNEB:{' '}
        {AUTONEB_DEFAULTS.pivots} pivots, {AUTONEB_DEFAULTS.cycles} cycles of {AUTONEB_DEFAULTS.stepsPerCycle} steps, a
        pivot inserted after each cycle where the loss is highest. Measured in headless Chromium on a two-core CPU
        (wasm): Bezier 12 s, polychain 11 s, AutoNEB 12 s, most of it the evaluation at {TRAINED_POINTS} points. The
        LLPF path’s length runs through its recorded snapshots once the landscape plane is computed.
      </p>
    </section>
  );
}
