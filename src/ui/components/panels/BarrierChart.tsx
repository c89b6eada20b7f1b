import { useEffect, useRef, useState } from 'react';
import Plotly from 'plotly.js/dist/plotly.min.js';
import { barrierOf, pathCurve, type TCurve } from '../../barrier';
import { requestDraw } from '../../plots/drawScheduler';
import { store, useUi } from '../../state/store';
import type { BaselineView } from '../../state/uiState';

const COLORS = { line: '#d62728', aligned: '#ff7f0e', path: '#1f77b4' };
const PATH_NAME = 'LLPF path (moving-average train loss of each tick’s mini-batches)';
/** Redraws the path at most this often while it streams (ms). */
const PATH_INTERVAL_MS = 300;

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)} %`);
const nats = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(3);

/** The current M2M run's path on the t axis, refreshed while it streams. */
function usePathCurve(): TCurve {
  const read = () => {
    const run = store.get().run;
    return run?.config.mode === 'm2m' ? pathCurve(store.series, run.totalTicks) : { t: [], loss: [] };
  };
  const [curve, setCurve] = useState<TCurve>(read);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const later = () => {
      timer ??= setTimeout(() => {
        timer = null;
        setCurve(read());
      }, PATH_INTERVAL_MS);
    };
    let series = store.series;
    let off = series?.subscribe(later) ?? null;
    const offStore = store.subscribe(() => {
      if (store.series === series) return;
      off?.();
      series = store.series;
      off = series?.subscribe(later) ?? null;
      later();
    });
    return () => {
      off?.();
      offStore();
      if (timer) clearTimeout(timer);
    };
  }, []);
  return curve;
}

const lineTrace = (name: string, v: BaselineView | null, color: string) => ({
  name,
  x: v?.t ?? [],
  y: v?.trainLoss ?? [],
  mode: 'lines+markers',
  marker: { size: 5 },
  line: { color, width: 2 },
});

/** Train loss against position t for the straight line, the aligned line and the LLPF path (issue #13). */
export function BarrierChart() {
  const line = useUi((s) => s.baselines.line);
  const aligned = useUi((s) => s.baselines.aligned);
  const path = usePathCurve();
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const div = el.current!;
    return requestDraw(() => {
      const traces = [
        lineTrace('straight line A → B', line, COLORS.line),
        lineTrace('aligned line A → B (B’s units permuted to A)', aligned, COLORS.aligned),
        { name: PATH_NAME, x: path.t, y: path.loss, mode: 'lines', line: { color: COLORS.path, width: 2 } },
      ];
      const layout = {
        margin: { l: 60, r: 20, t: 10, b: 90 },
        xaxis: { title: { text: 'position t along the path (0 = model A, 1 = model B)' }, range: [0, 1] },
        yaxis: { title: { text: 'train loss (cross-entropy, nats)' }, rangemode: 'tozero' },
        legend: { orientation: 'h', x: 0, y: -0.22, yanchor: 'top' },
        height: 360,
      };
      void Plotly.react(div, traces, layout, { displaylogo: false, responsive: true });
    });
  }, [line, aligned, path]);
  useEffect(() => () => Plotly.purge(el.current!), []);
  const rows: Array<[string, TCurve, BaselineView | null, string]> = [
    ['straight line', { t: line?.t ?? [], loss: line?.trainLoss ?? [] }, line, COLORS.line],
    ['aligned line', { t: aligned?.t ?? [], loss: aligned?.trainLoss ?? [] }, aligned, COLORS.aligned],
    ['LLPF path', path, null, COLORS.path],
  ];
  const images = line?.trainImages ?? aligned?.trainImages ?? null;
  return (
    <section className="panel barrier" data-testid="barrier-chart">
      <header>
        <h3>Barrier chart: train loss along three paths between the same two models</h3>
      </header>
      <p className="note" data-testid="barrier-caption">
        What you see: the straight line from A to B climbs over a loss barrier; permuting B’s hidden units to match A
        lowers it; the LLPF path joins the same two models with low loss all the way.
      </p>
      <div ref={el} className="plot" data-testid="plot-barrier" />
      <table className="barriers" data-testid="barrier-table">
        <thead>
          <tr>
            <th>path</th>
            <th>barrier (nats)</th>
            <th>max train loss (nats)</th>
            <th>min test accuracy</th>
            <th>points</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, curve, view, color]) => (
            <tr key={name} data-testid={`barrier-row-${name.split(' ')[0]}`}>
              <td>
                <span className="swatch" style={{ background: color }} /> {name}
              </td>
              <td>{nats(view ? view.barrier : curve.t.length > 1 ? barrierOf(curve) : null)}</td>
              <td>{nats(curve.loss.length ? Math.max(...curve.loss) : null)}</td>
              <td>{view ? pct(Math.min(...view.testAccuracy.map((a) => a ?? 1))) : '—'}</td>
              <td>{view ? `${view.t.length} / ${view.total}` : curve.t.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="note">
        Lines: train loss on the first {images?.toLocaleString('en') ?? '10,000'} training images, test accuracy on all
        10,000 test images. Path: the moving average of each tick’s mini-batch losses at t = tick / ticks. Barrier (SPEC
        §9): max<sub>t</sub> L(t) − [(1−t)·L(0) + t·L(1)].
      </p>
    </section>
  );
}
