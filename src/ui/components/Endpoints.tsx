import { useRef } from 'react';
import { bridge } from '../bridge';
import { loadBundled } from '../demo';
import { useUi } from '../state/store';
import type { TrainProgressView } from '../state/uiState';
import type { Slot } from '../../worker/protocol';

/** Step 1: two endpoint models, trained here (live progress) or loaded from a file. */
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
    <section className="step">
      <h2>1 · Get two endpoint models</h2>
      <p>
        Train LeNet5 twice from different seeds (SGD, lr 0.01, momentum 0.9, batch 64 — the paper trains 20 epochs; 1
        epoch already reaches ~98 %), load <code>.safetensors</code> files saved by this app, the CLI or PyTorch, or use
        the bundled models.
      </p>
      <label className="inline">
        Epochs{' '}
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
      <h3>
        Model {slot}
        {slot === 'A' ? ' (start)' : ' (destination)'}
      </h3>
      <div className="row">
        <label>
          Seed{' '}
          <input
            type="number"
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
        <button disabled={!ready || busy} onClick={() => file.current?.click()}>
          Load file…
        </button>
        <button
          disabled={!ready || busy}
          onClick={() => void loadBundled(slot).catch(() => undefined)}
          title="LeNet5 trained 20 epochs with the paper's settings by `lowloss train`"
        >
          Bundled
        </button>
        <button disabled={!model} onClick={() => bridge.send({ type: 'exportModel', slot })}>
          Save
        </button>
        <input
          ref={file}
          type="file"
          accept=".safetensors"
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
      <p className="hint">or drop a .safetensors file here</p>
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
      <svg width="200" height="42" className="spark">
        <path d={path} fill="none" stroke="#1f77b4" />
      </svg>
    </div>
  );
}
