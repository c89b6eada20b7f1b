import { useMemo, useState } from 'react';
import { geometryBridge } from '../../geometry/bridge';
import { useGeometry } from '../../geometry/store';
import type { FlatnessRow } from '../../../worker/geometryProtocol';
import { GeoPanel, NumberField } from './fields';
import { Plot } from './Plot';
import { asPct, count, parseSigmas, pct } from './format';
import { startJob, useBusy } from './actions';
import { PathFlatness } from './PathFlatness';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
export const SIGMA_AXIS = { title: { text: 'relative noise σ (w ⊙ (1 + σz), dimensionless)' }, rangemode: 'tozero' };
export const ENERGY_AXIS = { title: { text: 'local energy δE(σ) (% train error added)' }, rangemode: 'tozero' };

/** The δE(σ) curve of each row with ± one standard error of the mean over the M draws. */
export function energyTraces(rows: FlatnessRow[]) {
  return rows.map((r, i) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name: `${r.label} (test error ${pct(r.testError)})`,
    x: r.result.sigma,
    y: asPct(r.result.localEnergy),
    error_y: { type: 'data', array: asPct(r.result.standardError), visible: true },
    line: { color: COLORS[i % COLORS.length], width: 2 },
  }));
}

/** Flatness settings shared by the panel's two jobs. */
export function useFlatnessSettings() {
  const [sigmaText, setSigmaText] = useState('0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5');
  const [samples, setSamples] = useState(4);
  const [trainImages, setTrain] = useState(2000);
  const sigmas = parseSigmas(sigmaText);
  const fields = (
    <>
      <label className="geo-field" title="Noise levels σ, comma separated (relative to each weight)">
        <span>σ values</span>
        <input
          value={sigmaText}
          onChange={(e) => setSigmaText(e.target.value)}
          className={sigmas ? '' : 'bad'}
          data-testid="geo-flatness-sigmas"
        />
      </label>
      <NumberField
        label="M draws"
        value={samples}
        onChange={setSamples}
        min={1}
        max={256}
        hint="Noise draws z ~ N(0, I) averaged per σ"
        testId="geo-flatness-samples"
      />
      <NumberField
        label="train images"
        value={trainImages}
        onChange={setTrain}
        min={100}
        max={60000}
        step={100}
        hint="E_train: 0-1 error on the first N training images"
        testId="geo-flatness-train"
      />
    </>
  );
  const settings = sigmas ? { sigmas, samples, trainImages, seed: 0 } : null;
  return { settings, fields };
}

/** Local energy δE(σ) of the two models (SPEC §7), and along the recorded LLPF path. */
export function FlatnessPanel() {
  const slot = useGeometry((s) => s.flatness);
  const selection = useGeometry((s) => s.selection);
  const busy = useBusy();
  const { settings, fields } = useFlatnessSettings();
  const traces = useMemo(() => energyTraces(slot?.rows ?? []), [slot]);
  const layout = useMemo(() => ({ xaxis: SIGMA_AXIS, yaxis: ENERGY_AXIS }), []);
  const run = () =>
    startJob('flatness', 'local energy of the two models', () => {
      if (!settings) throw new Error('σ values must be a comma list of numbers between 0 and 10');
      const ids = selection.second === selection.first ? [selection.first] : [selection.first, selection.second];
      return {
        type: 'flatness',
        models: ids.map((id) => geometryBridge.file(id)),
        snapshots: [],
        flatness: settings,
        testImages: 10000,
      };
    });
  return (
    <GeoPanel
      title="Flatness: local energy δE(σ)"
      testId="geo-flatness"
      caption="how much the train error rises when every weight is jiggled by a relative amount σ; a flatter minimum has a lower curve."
      wide
    >
      <div className="geo-controls">
        {fields}
        <button type="button" onClick={run} disabled={busy || !settings} data-testid="geo-flatness-run">
          Flatness of the two models
        </button>
      </div>
      {slot && <Plot traces={traces} layout={layout} testId="geo-flatness-plot" height={320} />}
      {slot && slot.rows.length > 0 && (
        <p className="hint" data-testid="geo-flatness-facts">
          {slot.rows
            .map(
              (r) =>
                `${r.label}: train error ${pct(r.result.baseError)} on ${count(settings?.trainImages ?? 0)} images`,
            )
            .join('; ')}
        </p>
      )}
      <PathFlatness settings={settings} />
    </GeoPanel>
  );
}
