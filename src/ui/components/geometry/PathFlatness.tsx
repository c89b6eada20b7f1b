import { useMemo, useState } from 'react';
import { geometryBridge } from '../../geometry/bridge';
import { useGeometry } from '../../geometry/store';
import type { FlatnessSettings } from '../../../worker/geometryProtocol';
import { Plot } from './Plot';
import { asPct } from './format';
import { startJob, useBusy } from './actions';
import { energyAt } from '../../geometry/stats';

/** δE(σ*) and the test error at each recorded snapshot of the current LLPF path (e.g. M2O). */
export function PathFlatness({ settings }: { settings: FlatnessSettings | null }) {
  const snapshots = useGeometry((s) => s.snapshots);
  const slot = useGeometry((s) => s.pathFlatness);
  const busy = useBusy();
  const sigmas = slot?.rows[0]?.result.sigma ?? settings?.sigmas ?? [];
  const [sigmaIndex, setSigmaIndex] = useState(-1);
  const at = sigmaIndex >= 0 && sigmaIndex < sigmas.length ? sigmaIndex : Math.min(3, sigmas.length - 1);
  const sigma = sigmas[at] ?? 0;
  const traces = useMemo(() => {
    const rows = slot?.rows ?? [];
    const ticks = rows.map((r) => r.tick ?? 0);
    return [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: `δE(σ = ${sigma})`,
        x: ticks,
        y: asPct(rows.map((r) => energyAt(r.result, sigma))),
      },
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'test error',
        x: ticks,
        y: asPct(rows.map((r) => r.testError)),
        yaxis: 'y2',
        line: { dash: 'dot' },
      },
    ];
  }, [slot, sigma]);
  const layout = useMemo(
    () => ({
      xaxis: { title: { text: 'path tick' } },
      yaxis: { title: { text: `δE(σ = ${sigma}) (% train error added)` }, rangemode: 'tozero' },
      yaxis2: { title: { text: 'test error (%)' }, overlaying: 'y', side: 'right', rangemode: 'tozero' },
      margin: { l: 64, r: 64, t: 10, b: 50 },
    }),
    [sigma],
  );
  const run = () =>
    startJob('pathFlatness', 'local energy along the recorded path', () => {
      if (!settings) throw new Error('σ values must be a comma list of numbers between 0 and 10');
      const list = geometryBridge.snapshots.copies();
      if (!list.length) throw new Error('no recorded path snapshots: run a path with "snapshot every" > 0 first');
      return { type: 'flatness', models: [], snapshots: list, flatness: settings, testImages: 10000 };
    });
  return (
    <div className="geo-sub" data-testid="geo-path-flatness">
      <h4>Along the recorded path</h4>
      <p className="note">
        What you see: flatness and test error at each snapshot of the current path (M2O: does the flattest point
        generalise best?).
      </p>
      <div className="geo-controls">
        <button
          type="button"
          onClick={run}
          disabled={busy || !settings || snapshots.count === 0}
          data-testid="geo-path-flatness-run"
        >
          {snapshots.count
            ? `Flatness at ${snapshots.count} snapshots (ticks ${snapshots.firstTick}–${snapshots.lastTick})`
            : 'No path snapshots yet (run a path with snapshot every > 0)'}
        </button>
        <label className="geo-field" title="The σ whose δE is plotted against the tick">
          <span>σ*</span>
          <select value={at} onChange={(e) => setSigmaIndex(Number(e.target.value))}>
            {sigmas.map((s, i) => (
              <option key={i} value={i}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {slot && <Plot traces={traces} layout={layout} testId="geo-path-flatness-plot" height={280} />}
    </div>
  );
}
