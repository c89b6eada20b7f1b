import { useRef } from 'react';
import { bridge } from '../bridge';
import { loadBundled } from '../demo';
import { METRIC_COLORS } from '../plots/palette';
import { store, useUi } from '../state/store';
import type { TrainProgressView } from '../state/uiState';
import type { Slot } from '../../worker/protocol';

/** Step 2: two endpoint models, trained here (live progress), loaded from a file, or the bundled ones. */
export function Endpoints({
  seeds,
  epochs,
  testSamples,
  onSeeds,
  onEpochs,
  busy,
}: {
  seeds: Record<Slot, number>;
  epochs: number;
  testSamples: number;
  onSeeds: (s: Record<Slot, number>) => void;
  onEpochs: (n: number) => void;
  busy: boolean;
}) {
  return (
    <section className="step endpoints-step" data-testid="endpoints" aria-labelledby="endpoints-title">
      <h3 id="endpoints-title">2 · Endpoint models</h3>
      <p className="hint">
        Bundled: LeNet5 trained 20 epochs from seeds 1 and 2. Or train here (SGD, lr 0.01, momentum 0.9, batch 64; 1
        epoch ≈ 98 %), or load <code>.safetensors</code> from this app, the CLI or PyTorch.
      </p>
      <label className="inline">
        Training epochs{' '}
        <input
          type="number"
          min={0.05}
          step="any"
          value={epochs}
          disabled={busy}
          onChange={(e) => onEpochs(Number(e.target.value))}
        />
      </label>
      <div className="endpoints">
        {(['A', 'B'] as Slot[]).map((slot) => (
          <EndpointCard
            key={slot}
            slot={slot}
            seed={seeds[slot]}
            onSeed={(v) => onSeeds({ ...seeds, [slot]: v })}
            epochs={epochs}
            testSamples={testSamples}
            busy={busy}
          />
        ))}
      </div>
    </section>
  );
}

function EndpointCard({
  slot,
  seed,
  onSeed,
  epochs,
  testSamples,
  busy,
}: {
  slot: Slot;
  seed: number;
  onSeed: (n: number) => void;
  epochs: number;
  testSamples: number;
  busy: boolean;
}) {
  const model = useUi((s) => s.models[slot]);
  const progress = useUi((s) => s.training[slot]);
  const ready = useUi((s) => s.data.state === 'ready' && s.backend !== null);
  const file = useRef<HTMLInputElement>(null);
  const load = async (f: File) => bridge.loadModel(slot, f.name, await f.arrayBuffer());
  return (
    <div
      className={`card ${model ? 'has-model' : ''}`}
      data-testid={`endpoint-${slot}`}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        const f = e.dataTransfer.files[0];
        if (f) void load(f);
      }}
    >
      <h4>
        Model {slot}
        {slot === 'A' ? ' (start)' : ' (destination)'}
      </h4>
      <div className="row">
        <label>
          Seed{' '}
          <input
            type="number"
            aria-label={`Seed of model ${slot}`}
            value={seed}
            min={0}
            disabled={busy}
            onChange={(e) => onSeed(Math.max(0, Math.floor(Number(e.target.value))))}
          />
        </label>
        <button
          disabled={!ready || busy}
          onClick={() => bridge.trainEndpoint(slot, seed, epochs, false, testSamples)}
          data-testid={`train-${slot}`}
        >
          Train {slot}
        </button>
        <button
          disabled={!ready || busy}
          onClick={() => file.current?.click()}
          aria-label={`Load model ${slot} from a .safetensors file`}
        >
          Load file…
        </button>
        <button
          disabled={!ready || busy}
          onClick={() =>
            void loadBundled(slot).catch((e: Error) =>
              store.dispatch({ type: 'error', error: { scope: 'model', message: e.message, recoverable: true } }),
            )
          }
          title="LeNet5 trained 20 epochs with the paper's settings by `lowloss train`"
          aria-label={`Load the bundled model into ${slot}`}
        >
          Bundled
        </button>
        <button
          disabled={!model}
          onClick={() => bridge.send({ type: 'exportModel', slot })}
          aria-label={`Save model ${slot} as .safetensors`}
        >
          Save
        </button>
        <input
          ref={file}
          type="file"
          accept=".safetensors"
          aria-label={`Model ${slot} file`}
          hidden
          onChange={(e) => e.target.files?.[0] && void load(e.target.files[0])}
        />
      </div>
      {progress && !model && <Progress p={progress} />}
      {progress && model && progress.step < progress.totalSteps && <Progress p={progress} />}
      {model && (
        <p className="model" data-testid={`model-${slot}`}>
          ✓ {model.name}
          {model.testAccuracy !== null && <> — test accuracy {(model.testAccuracy * 100).toFixed(2)} %</>}
        </p>
      )}
      {!model && <p className="hint">or drop a .safetensors file here</p>}
    </div>
  );
}

function Progress({ p }: { p: TrainProgressView }) {
  const frac = p.step / p.totalSteps;
  const eta = p.stepsPerSecond > 0 ? (p.totalSteps - p.step) / p.stepsPerSecond : NaN;
  const max = Math.max(...p.curve.map(([, l]) => l), 1e-9);
  const path = p.curve
    .map(([s, l], i) => `${i ? 'L' : 'M'}${((s / p.totalSteps) * 200).toFixed(1)},${(40 - (l / max) * 38).toFixed(1)}`)
    .join(' ');
  return (
    <div className="progress" data-testid="train-progress">
      <progress value={frac} max={1} />
      <span>
        epoch {p.epoch.toFixed(2)} · step {p.step}/{p.totalSteps} · loss{' '}
        {Number.isNaN(p.trainLoss) ? '—' : p.trainLoss.toFixed(3)}
        {p.testAccuracy !== null && <> · test acc {(p.testAccuracy * 100).toFixed(1)} %</>} ·{' '}
        {p.stepsPerSecond.toFixed(1)} steps/s · ETA {Number.isFinite(eta) ? `${eta.toFixed(0)} s` : '—'}
      </span>
      <svg width="200" height="42" className="spark" role="img" aria-label="training loss so far">
        <path d={path} fill="none" stroke={METRIC_COLORS.trainLoss} />
      </svg>
    </div>
  );
}
