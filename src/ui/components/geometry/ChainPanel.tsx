import { useMemo, useState } from 'react';
import { geometryBridge } from '../../geometry/bridge';
import { useGeometry } from '../../geometry/store';
import { GeoPanel, NumberField } from './fields';
import { Plot } from './Plot';
import { pct } from './format';
import { startJob, useBusy } from './actions';
import { ERROR_AXIS, T_AXIS, profileTraces } from './LandscapePanel';

/** One-bend chain A → θ → B between canonical aligned models, the bend trained (SPEC §7; Garipov et al. 2018). */
export function ChainPanel() {
  const slot = useGeometry((s) => s.chain);
  const selection = useGeometry((s) => s.selection);
  const busy = useBusy();
  const [maxSteps, setMaxSteps] = useState(4000);
  const [evalEvery, setEvalEvery] = useState(1000);
  const [points, setPoints] = useState(9);
  const [targetPct, setTarget] = useState(0.5);
  const [trainImages, setTrain] = useState(10000);
  const [testImages, setTest] = useState(2000);
  const run = () =>
    startJob('chain', 'one-bend chain', () => ({
      type: 'chain',
      a: geometryBridge.file(selection.first),
      b: geometryBridge.file(selection.second),
      maxSteps,
      evalEvery,
      points,
      targetError: targetPct / 100,
      trainImages,
      testImages,
    }));
  const profile = useMemo(() => profileTraces(slot?.profile, 'chain A → bend → B', '#2ca02c'), [slot]);
  const profileLayout = useMemo(
    () => ({
      xaxis: { ...T_AXIS, title: { text: 'position t along the chain (bend at t = 0.5)' } },
      yaxis: ERROR_AXIS,
    }),
    [],
  );
  const training = useMemo(
    () => [
      {
        type: 'scatter',
        mode: 'lines',
        name: 'mini-batch loss (nats)',
        x: slot?.losses.map((l) => l[0]) ?? [],
        y: slot?.losses.map((l) => l[1]) ?? [],
      },
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'largest train error along the chain (%)',
        x: slot?.evals.map((e) => e.step) ?? [],
        y: slot?.evals.map((e) => e.maxTrainError * 100) ?? [],
        yaxis: 'y2',
      },
    ],
    [slot],
  );
  const trainingLayout = useMemo(
    () => ({
      xaxis: { title: { text: 'Adam step on the bend (batch 64)' } },
      yaxis: { title: { text: 'loss at a random t (cross-entropy, nats)' }, rangemode: 'tozero' },
      yaxis2: { title: { text: 'max train error (%)' }, overlaying: 'y', side: 'right', rangemode: 'tozero' },
      margin: { l: 64, r: 64, t: 10, b: 50 },
    }),
    [],
  );
  const last = slot?.evals.at(-1);
  return (
    <GeoPanel
      title="One-bend chain between the canonical, aligned models"
      testId="geo-chain"
      caption="two straight segments through a trained bend join the two minimisers with near-zero train error all along."
      wide
    >
      <div className="geo-controls">
        <NumberField
          label="max steps"
          value={maxSteps}
          onChange={setMaxSteps}
          min={10}
          max={100000}
          step={500}
          hint="Adam steps on the bend at most (lr 1.5e-3 decaying to 5e-5)"
        />
        <NumberField
          label="evaluate every"
          value={evalEvery}
          onChange={setEvalEvery}
          min={10}
          max={100000}
          step={100}
          hint="Steps between measurements of the error along the chain"
        />
        <NumberField
          label="points"
          value={points}
          onChange={setPoints}
          min={3}
          max={51}
          hint="Evenly spaced t along the chain"
        />
        <NumberField
          label="target (%)"
          value={targetPct}
          onChange={setTarget}
          min={0}
          max={100}
          step={0.1}
          hint="Stop when the largest train error along the chain is at most this"
        />
        <NumberField
          label="train images"
          value={trainImages}
          onChange={setTrain}
          min={100}
          max={60000}
          step={100}
          hint="Train error on the first N training images"
        />
        <NumberField
          label="test images"
          value={testImages}
          onChange={setTest}
          min={100}
          max={10000}
          step={100}
          hint="Test error on the first N test images"
        />
        <button type="button" onClick={run} disabled={busy} data-testid="geo-chain-run">
          Train the bend
        </button>
      </div>
      {slot && (
        <div className="geo-plots">
          <Plot traces={profile} layout={profileLayout} testId="geo-chain-profile" height={300} />
          <Plot traces={training} layout={trainingLayout} testId="geo-chain-training" height={300} />
        </div>
      )}
      {last && (
        <p className="hint" data-testid="geo-chain-facts">
          Step {last.step}: largest train error along the chain {pct(last.maxTrainError)}
          {slot?.reachedTarget
            ? ` — target ${targetPct} % reached`
            : slot?.status === 'done'
              ? ' — target not reached within max steps'
              : ''}
          .{slot?.status === 'done' && ' The bend is in the model lists (canonical coordinates).'}
        </p>
      )}
    </GeoPanel>
  );
}
