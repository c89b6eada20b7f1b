import { useMemo } from 'react';
import { geometryBridge } from '../../geometry/bridge';
import { useGeometry } from '../../geometry/store';
import type { CanonicalView } from '../../../worker/geometryProtocol';
import { GeoPanel } from './fields';
import { Plot } from './Plot';
import { count, fixed } from './format';
import { startJob, useBusy } from './actions';

const LAYER_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#d62728'];

/** Per-layer strips of unit norms: before canonicalisation (left of each layer) and after (right, all 1). */
function normTraces(v: CanonicalView) {
  const traces: Array<Record<string, unknown>> = [];
  let at = 0;
  v.layers.forEach((l, li) => {
    const before = Array.from(v.normsBefore.subarray(at, at + l.count));
    const after = Array.from(v.normsAfter.subarray(at, at + l.count));
    // Seeded spread across the strip so the units do not overlap (no randomness in the view).
    const jitter = (i: number) => ((i * 0.618) % 1) * 0.24 - 0.12;
    const strip = (ys: number[], dx: number, name: string, opacity: number) => ({
      type: 'scatter',
      mode: 'markers',
      name,
      legendgroup: l.layer,
      showlegend: name.endsWith('before'),
      x: ys.map((_, i) => li + dx + jitter(i)),
      y: ys,
      marker: { color: LAYER_COLORS[li], size: 6, opacity },
      hovertemplate: `${l.layer} unit %{pointNumber}: ‖w, b‖ = %{y:.4f}<extra>${name}</extra>`,
    });
    traces.push(strip(before, -0.2, `${l.layer} before`, 0.8), strip(after, 0.2, `${l.layer} after`, 0.35));
    at += l.count;
  });
  return traces;
}

/** The canonical form of the first model and the second aligned to it (SPEC §7). */
export function CanonicalPanel() {
  const slot = useGeometry((s) => s.canonical);
  const selection = useGeometry((s) => s.selection);
  const busy = useBusy();
  const v = slot?.view ?? null;
  const traces = useMemo(() => (v ? normTraces(v) : []), [v]);
  const layout = useMemo(
    () => ({
      xaxis: {
        title: { text: 'layer (left strip: before canonicalisation, right strip: after)' },
        tickvals: v?.layers.map((_, i) => i) ?? [],
        ticktext: v?.layers.map((l) => (l.layer === 'fc3' ? 'fc3 (whole layer)' : `${l.layer} (${l.count} units)`)),
      },
      yaxis: { title: { text: '‖(weights, bias)‖ of each unit (log scale)' }, type: 'log' },
      showlegend: false,
    }),
    [v],
  );
  const run = () =>
    startJob('canonical', 'canonical form and alignment', () => ({
      type: 'canonical',
      a: geometryBridge.file(selection.first),
      b: selection.second === selection.first ? null : geometryBridge.file(selection.second),
      testImages: 10000,
    }));
  const al = v?.alignment ?? null;
  return (
    <GeoPanel
      title="Canonical form and alignment"
      testId="geo-canonical"
      caption="every unit's (weights, bias) norm before (spread out) and after removing the scale symmetry (all 1); the predictions do not change."
    >
      <button type="button" onClick={run} disabled={busy} data-testid="geo-canonical-run">
        Canonicalise the first model, align the second to it
      </button>
      {v && <Plot traces={traces} layout={layout} testId="geo-canonical-plot" height={300} />}
      {v && (
        <ul className="geo-facts" data-testid="geo-canonical-facts">
          <li>
            {v.name}: same predictions on {count(v.samePredictions)}/{count(v.testImages)} test images after
            canonicalisation (logits ÷ {fixed(v.logitScale, 3)}; 227 spheres: 6 + 16 + 120 + 84 units + fc3).
          </li>
          {al && (
            <li>
              {al.name} aligned to it (weight matching): raw L2 {fixed(al.l2Before)} → {fixed(al.l2After)}; canonical L2{' '}
              {fixed(al.canonicalL2Before)} → {fixed(al.canonicalL2After)}; same predictions as before on{' '}
              {count(al.samePredictions)}/{count(v.testImages)} test images.
            </li>
          )}
        </ul>
      )}
    </GeoPanel>
  );
}
