import { useMemo, useState } from 'react';
import { geometryBridge } from '../../geometry/bridge';
import { geometryStore, useGeometry } from '../../geometry/store';
import { download } from '../../download';
import { GeoPanel, NumberField } from './fields';
import { Plot } from './Plot';
import { count, pct } from './format';
import { startJob, useBusy } from './actions';
import { ERROR_AXIS, T_AXIS, profileTraces } from './LandscapePanel';
import { BinaryResults } from './BinaryResults';

/** Binary LeNet5 (±1 weights, sign activations; Pittorino et al. 2022, §6): train, save, load, compare. */
export function BinaryPanel() {
  const all = useGeometry((s) => s.models);
  const models = useMemo(() => all.filter((m) => m.kind === 'binary'), [all]);
  const training = useGeometry((s) => s.binaryTraining);
  const cmp = useGeometry((s) => s.binaryCompare);
  const busy = useBusy();
  const [seed, setSeed] = useState(1);
  const [epochs, setEpochs] = useState(1);
  const [pick, setPick] = useState<[string, string]>(['', '']);
  const [points, setPoints] = useState(9);
  const [trainImages, setTrain] = useState(10000);
  const ids = models.map((m) => m.id);
  const first = ids.includes(pick[0]) ? pick[0] : (ids[0] ?? '');
  const second = ids.includes(pick[1]) ? pick[1] : (ids.find((i) => i !== first) ?? '');
  const train = () =>
    startJob('binaryTraining', `binary LeNet5, seed ${seed}`, () => ({ type: 'binaryTrain', seed, epochs }));
  const compare = () =>
    startJob('binaryCompare', 'binary pair', () => {
      if (!first || !second || first === second) throw new Error('choose two different binary models');
      const [a, b] = [geometryBridge.file(first), geometryBridge.file(second)];
      return { type: 'binaryCompare', a, b, points, trainImages, testImages: 10000 };
    });
  const load = async (f: File) =>
    geometryBridge.addFile(`bin-file:${f.name}:${f.size}`, f.name, await f.arrayBuffer(), 'binary', 'file');
  const traces = useMemo(() => profileTraces(cmp?.profile, 'flip path A → aligned B', '#9467bd'), [cmp]);
  const layout = useMemo(() => ({ xaxis: T_AXIS, yaxis: ERROR_AXIS }), []);
  const t = training?.training;
  const choose = (role: 0 | 1, value: string) => (
    <select
      value={value}
      onChange={(e) => setPick(role === 0 ? [e.target.value, second] : [first, e.target.value])}
      data-testid={`geo-binary-pick-${role}`}
    >
      {models.map((m) => (
        <option key={m.id} value={m.id}>
          {m.name}
        </option>
      ))}
    </select>
  );
  return (
    <GeoPanel
      title="Binary LeNet5"
      testId="geo-binary"
      caption="networks with ±1 weights and sign activations reach high accuracy too; their distance is the number of flipped weights."
      wide
    >
      <div className="geo-controls">
        <NumberField
          label="seed"
          value={seed}
          onChange={setSeed}
          min={0}
          max={1000000}
          hint="Seed of the init and the mini-batch order"
        />
        <NumberField
          label="epochs"
          value={epochs}
          onChange={setEpochs}
          min={0.1}
          max={50}
          step={0.1}
          hint="BinaryNet training: Adam 0.01 → 5e-4, batch 64"
          testId="geo-binary-epochs"
        />
        <button type="button" onClick={train} disabled={busy} data-testid="geo-binary-train">
          Train a binary model
        </button>
        <label className="geo-file">
          Load a binary .safetensors
          <input
            type="file"
            accept=".safetensors"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void load(f).catch((err) => geometryStore.dispatch({ type: 'error', message: String(err) }));
              e.target.value = '';
            }}
          />
        </label>
      </div>
      {t && training?.status === 'running' && (
        <p className="hint" data-testid="geo-binary-progress">
          {t.member}: step {count(t.step)}/{count(t.totalSteps)}, loss {t.trainLoss.toFixed(3)} nats
          {t.testAccuracy !== null ? `, test accuracy ${pct(t.testAccuracy)}` : ''}
        </p>
      )}
      <ul className="geo-list" data-testid="geo-binary-models">
        {models.map((m) => (
          <li key={m.id}>
            {m.name}
            {m.testAccuracy !== null ? ` — test accuracy ${pct(m.testAccuracy)}` : ''}{' '}
            <button
              type="button"
              onClick={() => {
                const f = geometryStore.files.get(m.id)!;
                download(new Blob([f.bytes]), `${m.name.replace(/[^\w.-]+/g, '-')}.safetensors`);
              }}
            >
              Save
            </button>
          </li>
        ))}
      </ul>
      {models.length >= 2 && (
        <div className="geo-controls">
          {choose(0, first)} ↔ {choose(1, second)}
          <NumberField
            label="points"
            value={points}
            onChange={setPoints}
            min={2}
            max={51}
            hint="Evenly spaced t along the flip path"
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
          <button type="button" onClick={compare} disabled={busy} data-testid="geo-binary-compare">
            Compare the two binary models
          </button>
        </div>
      )}
      {cmp && (
        <>
          <Plot traces={traces} layout={layout} testId="geo-binary-plot" height={280} />
          {cmp.result && <BinaryResults r={cmp.result} />}
        </>
      )}
    </GeoPanel>
  );
}
