import { useMemo, useState } from 'react';
import { geometryBridge } from '../../geometry/bridge';
import { useGeometry } from '../../geometry/store';
import type { ProfileView } from '../../geometry/state';
import { GeoPanel, NumberField } from './fields';
import { Plot } from './Plot';
import { asPct, count, pct } from './format';
import { startJob, useBusy } from './actions';

const COLORS = { geodesic: '#1f77b4', line: '#d62728' };

/** Train (solid) and test (dotted) error traces of one path. */
export function profileTraces(p: ProfileView | null | undefined, name: string, color: string) {
  const trace = (y: number[], kind: string, dash: string) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name: `${name}: ${kind}`,
    x: p?.t ?? [],
    y: asPct(y),
    line: { color, dash, width: 2 },
    marker: { size: 5 },
  });
  return [trace(p?.trainError ?? [], 'train error', 'solid'), trace(p?.testError ?? [], 'test error', 'dot')];
}

export const ERROR_AXIS = { title: { text: '0-1 error (% of images misclassified)' }, rangemode: 'tozero' };
export const T_AXIS = { title: { text: 'position t along the path (0 = first model, 1 = second)' }, range: [0, 1] };

/** The 0-1 error along the geodesic and along the raw straight line, with barriers (SPEC §7, §9). */
export function LandscapePanel() {
  const slot = useGeometry((s) => s.landscape);
  const selection = useGeometry((s) => s.selection);
  const busy = useBusy();
  const [points, setPoints] = useState(11);
  const [trainImages, setTrain] = useState(10000);
  const [testImages, setTest] = useState(10000);
  const traces = useMemo(
    () => [
      ...profileTraces(slot?.geodesic, 'geodesic (canonical, aligned)', COLORS.geodesic),
      ...profileTraces(slot?.line, 'straight line (raw weights)', COLORS.line),
    ],
    [slot],
  );
  const layout = useMemo(() => ({ xaxis: T_AXIS, yaxis: ERROR_AXIS }), []);
  const run = () =>
    startJob('landscape', 'error landscape', () => ({
      type: 'landscape',
      a: geometryBridge.file(selection.first),
      b: geometryBridge.file(selection.second),
      points,
      trainImages,
      testImages,
    }));
  const rows: Array<[string, ProfileView | undefined]> = [
    ['geodesic', slot?.geodesic],
    ['straight line', slot?.line],
  ];
  return (
    <GeoPanel
      title="Error landscape: geodesic and straight line"
      testId="geo-landscape"
      caption="the 0-1 error along the raw straight line between the two minimisers and along the geodesic between their canonical, aligned forms; the table gives how far each climbs above its ends."
      wide
    >
      <div className="geo-controls">
        <NumberField
          label="points"
          value={points}
          onChange={setPoints}
          min={2}
          max={101}
          hint="Evenly spaced t per path"
          testId="geo-landscape-points"
        />
        <NumberField
          label="train images"
          value={trainImages}
          onChange={setTrain}
          min={100}
          max={60000}
          step={100}
          hint="0-1 train error on the first N training images (no augmentation)"
          testId="geo-landscape-train"
        />
        <NumberField
          label="test images"
          value={testImages}
          onChange={setTest}
          min={100}
          max={10000}
          step={100}
          hint="0-1 test error on the first N test images"
          testId="geo-landscape-test"
        />
        <button type="button" onClick={run} disabled={busy} data-testid="geo-landscape-run">
          Measure the error along both paths
        </button>
      </div>
      {slot && <Plot traces={traces} layout={layout} testId="geo-landscape-plot" height={340} />}
      <table className="geo-table" data-testid="geo-barriers">
        <thead>
          <tr>
            <th>path</th>
            <th>barrier (train)</th>
            <th>barrier (test)</th>
            <th>max train error</th>
            <th>points</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, p]) => (
            <tr key={name} data-testid={`geo-barrier-${name.split(' ')[0]}`}>
              <td>{name}</td>
              <td className="num">{pct(p?.barrier)}</td>
              <td className="num">{pct(p?.testBarrier)}</td>
              <td className="num">{p?.trainError.length ? pct(Math.max(...p.trainError)) : '—'}</td>
              <td className="num">
                {p?.t.length ?? 0}/{points}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        Barrier = max over t of E(t) − [(1 − t)·E(0) + t·E(1)]; train error on the first {count(trainImages)} training
        images.
      </p>
    </GeoPanel>
  );
}
