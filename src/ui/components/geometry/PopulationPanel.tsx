import { useMemo, useState } from 'react';
import { useGeometry } from '../../geometry/store';
import { RECIPE_NAMES } from '../../../worker/geometryProtocol';
import { GeoPanel, NumberField } from './fields';
import { count } from './format';
import { startJob, useBusy } from './actions';
import { useFlatnessSettings } from './FlatnessPanel';
import { PopulationTables } from './PopulationTables';
import { PopulationPlots } from './PopulationPlots';

/**
 * The paper's central comparison at LeNet5 scale (Pittorino et al. 2022, §5; SPEC §7): a population
 * of minimisers from SGD with small and large batches and Adam, with flatness, test error, and per pair
 * geodesic and function distances and barriers.
 */
export function PopulationPanel() {
  const slot = useGeometry((s) => s.population);
  const busy = useBusy();
  const [perRecipe, setPerRecipe] = useState(2);
  const [epochScale, setEpochScale] = useState(0.5);
  const [points, setPoints] = useState(5);
  const [trainImages, setTrain] = useState(2000);
  const [testImages, setTest] = useState(10000);
  const { settings, fields } = useFlatnessSettings();
  const sigmas = slot?.members[0]?.flatness.sigma ?? settings?.sigmas ?? [];
  const [sigmaIndex, setSigmaIndex] = useState(-1);
  const at = sigmaIndex >= 0 && sigmaIndex < sigmas.length ? sigmaIndex : Math.min(3, sigmas.length - 1);
  const sigma = sigmas[at] ?? 0;
  const run = () =>
    startJob('population', 'population of minimisers', () => {
      if (!settings) throw new Error('σ values must be a comma list of numbers between 0 and 10');
      return {
        type: 'population',
        recipes: [...RECIPE_NAMES],
        perRecipe,
        epochScale,
        seed: 100,
        flatness: settings,
        geodesicPoints: points,
        trainImages,
        testImages,
      };
    });
  const t = slot?.training;
  const progress = useMemo(
    () => (t ? `${t.member}: step ${t.step}/${t.totalSteps}, train loss ${t.trainLoss.toFixed(3)} nats` : null),
    [t],
  );
  return (
    <GeoPanel
      title="Population: flatness, test error, distances and barriers"
      testId="geo-population"
      caption="minimisers found by SGD (batch 64 and 1000) and Adam; the paper finds flatter ones generalise better, lie closer in function space and are joined by lower barriers."
      wide
    >
      <div className="geo-controls">
        <NumberField
          label="models per optimiser"
          value={perRecipe}
          onChange={setPerRecipe}
          min={1}
          max={8}
          hint="Distinct seeds per recipe"
          testId="geo-pop-per"
        />
        <NumberField
          label="epochs ×"
          value={epochScale}
          onChange={setEpochScale}
          min={0.05}
          max={20}
          step={0.05}
          hint="Training length × each recipe’s epochs (SGD b64: 1, SGD b1000: 2, Adam: 1)"
          testId="geo-pop-epochs"
        />
        {fields}
        <NumberField
          label="geodesic points"
          value={points}
          onChange={setPoints}
          min={2}
          max={51}
          hint="Evenly spaced t along each pair’s geodesic"
        />
        <NumberField
          label="train images (barriers)"
          value={trainImages}
          onChange={setTrain}
          min={100}
          max={60000}
          step={100}
          hint="Train error along the geodesics on the first N training images"
        />
        <NumberField
          label="test images"
          value={testImages}
          onChange={setTest}
          min={100}
          max={10000}
          step={100}
          hint="Test error, function distance and test barriers on the first N test images"
        />
        <button type="button" onClick={run} disabled={busy || !settings} data-testid="geo-pop-run">
          Train {count(3 * perRecipe)} models and compare them
        </button>
      </div>
      {slot && (
        <p className="hint" data-testid="geo-pop-progress">
          {slot.trained.length}/{3 * perRecipe} trained{progress && slot.members.length === 0 ? ` — ${progress}` : ''};{' '}
          {slot.members.length} models and {slot.pairs.length} pairs measured ({slot.status}).
        </p>
      )}
      {slot && slot.members.length > 0 && (
        <>
          <label className="geo-field" title="The σ whose δE is the flatness in the table and plots">
            <span>flatness at σ =</span>
            <select value={at} onChange={(e) => setSigmaIndex(Number(e.target.value))} data-testid="geo-pop-sigma">
              {sigmas.map((s, i) => (
                <option key={i} value={i}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <PopulationPlots members={slot.members} pairs={slot.pairs} sigma={sigma} />
          <PopulationTables members={slot.members} pairs={slot.pairs} sigma={sigma} />
        </>
      )}
    </GeoPanel>
  );
}
