import { useCallback, useState } from 'react';
import { bridge } from '../../bridge';
import { endpointsReady, engineBusy } from '../../state/jobs';
import { PLANE_DEFAULTS, PLANE_GRIDS } from '../../state/jobDefaults';
import { useUi } from '../../state/store';
import type { PlaneView } from '../../state/uiState';
import type { ChartSource } from '../../plots/chartView';
import { useChart } from './useChart';
import { distanceChart, planeChart } from './PlanePanelPlot';
import './PlanePanel.css';

/** What the plane is doing, in words. */
function status(view: PlaneView | null): string {
  if (!view) return 'Not computed yet: compute it after building a path (or now, through B aligned to A).';
  const filled = view.rows.filter(Boolean).length;
  const samples = view.geometry?.samples.toLocaleString('en') ?? '…';
  switch (view.state) {
    case 'running':
      return `Computing the train loss on ${samples} training images: row ${filled} of ${view.grid}…`;
    case 'done':
      return `${view.grid}×${view.grid} grid on ${samples} training images in ${((view.ms ?? 0) / 1000).toFixed(1)} s.`;
    case 'stopped':
      return `Stopped after ${filled} of ${view.grid} rows.`;
    case 'failed':
      return 'Failed: see the message above.';
  }
}

/**
 * The landscape plane (issue #13, SPEC §9): train loss over the plane through A, B and C, rows
 * filling in live while the worker computes them, with every path projected onto it and each path
 * point's distance from the plane beside it.
 */
export function PlanePanel() {
  const view = useUi((s) => s.plane);
  const busy = useUi((s) => engineBusy(s) || !endpointsReady(s));
  const scrubTick = useUi((s) => s.scrubTick);
  const totalTicks = useUi((s) => s.run?.totalTicks ?? 0);
  const [grid, setGrid] = useState<number>(PLANE_DEFAULTS.grid);
  const g = view?.geometry ?? null;
  // The plane redraws as its rows arrive; the distance plot only when the path, a curve or the scrubber moves.
  const main = useChart(
    'plane',
    useCallback<ChartSource>(
      (colors, fontSize) => (view && g ? planeChart(view, g, scrubTick, colors, fontSize) : null),
      [view, g, scrubTick],
    ),
  );
  const side = useChart(
    'plane-distance',
    useCallback<ChartSource>(
      (colors, fontSize) => (g ? distanceChart(g, totalTicks, scrubTick, colors, fontSize) : null),
      [g, totalTicks, scrubTick],
    ),
  );
  const third =
    g?.third.kind === 'pathMiddle'
      ? `C is the LLPF path’s middle snapshot (tick ${g.third.tick})`
      : 'C is B aligned to A (no path snapshots yet)';
  const far = g && g.path.distance.length ? Math.max(...g.path.distance) : null;
  return (
    <section className="panel plane" data-testid="plane-panel">
      <header>
        <h3>Landscape plane through A, B and C</h3>
        <div className="job-buttons">
          <label>
            grid{' '}
            <select data-testid="plane-grid" value={grid} onChange={(e) => setGrid(Number(e.target.value))}>
              {PLANE_GRIDS.map((n) => (
                <option key={n} value={n}>
                  {n}×{n}
                </option>
              ))}
            </select>
          </label>
          <button
            data-testid="plane-compute"
            disabled={busy}
            onClick={() => void bridge.plane(grid, PLANE_DEFAULTS.samples).catch(() => undefined)}
          >
            {view ? 'Recompute plane' : 'Compute plane'}
          </button>
          <button data-testid="plane-stop" disabled={view?.state !== 'running'} onClick={() => bridge.stopJob()}>
            Stop
          </button>
        </div>
      </header>
      <p className="note" data-testid="plane-caption">
        What you see: the train loss on the flat slice of parameter space through A, B and C (dark = low, log colour
        scale); the dashed straight line A → B crosses the high ridge between the two minima, while the LLPF path
        (markers from light at A to dark red at its end) and any trained curve go around it. A projection can mislead: a
        point drawn on a low region may lie far off the plane, where the loss differs; the right plot gives each point’s
        distance from the plane{far !== null ? ` (at most ${far.toFixed(2)} for the path)` : ''}.
      </p>
      <p className="plane-status" data-testid="plane-status" aria-live="polite">
        {status(view)} {g ? `${third}; u and v are unit vectors, so both axes are distances in parameter space.` : ''}
      </p>
      <p className="plane-scale note">Colour bar: train loss (nats, log scale).</p>
      <div className="plane-plots">
        <div ref={main} className="plot plane-main" data-testid="plot-plane" />
        <div ref={side} className="plot plane-distance" data-testid="plot-plane-distance" />
      </div>
    </section>
  );
}
