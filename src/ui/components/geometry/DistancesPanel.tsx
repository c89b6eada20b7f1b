import { geometryBridge } from '../../geometry/bridge';
import { useGeometry } from '../../geometry/store';
import { GeoPanel } from './fields';
import { fixed, pct } from './format';
import { startJob, useBusy } from './actions';

/** Raw L2, aligned L2, geodesic and function distance between the two models (`lowloss compare`). */
export function DistancesPanel() {
  const slot = useGeometry((s) => s.compare);
  const selection = useGeometry((s) => s.selection);
  const busy = useBusy();
  const r = slot?.result ?? null;
  const run = () =>
    startJob('compare', 'distances', () => ({
      type: 'compare',
      a: geometryBridge.file(selection.first),
      b: geometryBridge.file(selection.second),
      testImages: 10000,
    }));
  const rows: Array<[string, string, string]> = [
    ['raw L2', fixed(r?.l2), '‖A − B‖ over all 61,706 parameters'],
    ['aligned L2', fixed(r?.l2Aligned), '‖A − π(B)‖, B’s hidden units permuted to match A'],
    ['geodesic', r ? `${fixed(r.geodesic)} rad` : '—', '√Σθ² over the 227 unit spheres of the canonical aligned pair'],
    ['function distance', pct(r?.functionDistance), 'test images on which the two predict differently'],
    ['test error, first', pct(r?.testErrorA), 'of 10,000 test images'],
    ['test error, second', pct(r?.testErrorB), 'of 10,000 test images'],
  ];
  return (
    <GeoPanel
      title="Distances between the two models"
      testId="geo-distances"
      caption="how far apart the models are in raw weights, after permutation alignment, on the product of spheres, and in what they predict."
    >
      <button type="button" onClick={run} disabled={busy} data-testid="geo-compare-run">
        Compare the two models
      </button>
      <table className="geo-table" data-testid="geo-distances-table">
        <tbody>
          {rows.map(([name, value, what]) => (
            <tr key={name}>
              <th>{name}</th>
              <td className="num">{value}</td>
              <td className="what">{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </GeoPanel>
  );
}
