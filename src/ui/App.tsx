import { useEffect, useState } from 'react';
import { bridge } from './bridge';
import { store, useUi } from './store';
import { Endpoints } from './Endpoints';
import { ConfigForm } from './ConfigForm';
import { PathPanels } from './panels/PathPanels';
import { readUrl, writeUrl, type UrlSetup } from './urlState';
import { presetFor, validateConfig, type RunConfig } from '../core/config';
import { download } from './bridge';
import { RunList } from './RunList';
import { jsonlToSeries, seriesToCsv, seriesToJsonl } from './runFiles';

const initialUrl = readUrl();

export function App() {
  const [setup, setSetup] = useState<UrlSetup>(initialUrl.setup);
  useEffect(() => {
    bridge.start(setup.backend);
    if (initialUrl.error) store.addError({ scope: 'link', message: initialUrl.error, recoverable: true });
    return () => bridge.stop();
    // The worker is created once per page (squoosh's bridge pattern).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => writeUrl(setup), [setup]);
  const training = useUi((s) => Object.values(s.training).some((t) => t && t.step < t.totalSteps) );
  const runState = useUi((s) => s.run?.state ?? null);
  const running = runState === 'running' || runState === 'paused' || runState === 'starting';
  return (
    <div className="app">
      <header className="top">
        <h1>Low-Loss Explorer</h1>
        <p className="lead">
          Two networks trained from different seeds land in different minima, yet a path of models with low training loss joins them.
          Here you build such paths live with the LLPF algorithms of Tian et al. (2025): step toward the destination, project back onto the variance sphere, retrain briefly, repeat.
        </p>
        <StatusBar />
      </header>
      <Errors />
      <Endpoints
        seeds={{ A: setup.seedA, B: setup.seedB }}
        epochs={setup.epochs}
        testSamples={setup.endpointTestSamples}
        onSeeds={(s) => setSetup({ ...setup, seedA: s.A, seedB: s.B })}
        onEpochs={(epochs) => setSetup({ ...setup, epochs })}
        busy={training || running}
      />
      <PathSetup setup={setup} onChange={setSetup} disabled={training || running} />
      <RunControls config={setup.config} busy={training} />
      <RunList busy={training || running} />
      <PathPanels />
    </div>
  );
}

function StatusBar() {
  const backend = useUi((s) => s.backend);
  const data = useUi((s) => s.data);
  const run = useUi((s) => s.run);
  const training = useUi((s) => s.training);
  const steps = run?.state === 'running' ? run.stepsPerSecond : Math.max(training.A?.stepsPerSecond ?? 0, training.B?.stepsPerSecond ?? 0);
  return (
    <div className="status" data-testid="status">
      <span data-testid="backend">{backend ? <>backend <b>{backend.name}</b>{backend.name === 'wasm' && (backend.threads ? ' (threads)' : ' (1 thread)')}</> : 'starting engine…'}</span>
      {backend && <span className="reason" title={backend.reason}>{backend.reason}</span>}
      <span>MNIST {data.state === 'ready' ? `loaded (60,000 + 10,000${data.ms ? `, ${(data.ms / 1000).toFixed(1)} s` : ''})` : data.state}</span>
      {run && <span data-testid="speed">{run.ticksPerSecond.toFixed(2)} ticks/s</span>}
      {steps > 0 && <span>{steps.toFixed(1)} SGD steps/s</span>}
    </div>
  );
}

function Errors() {
  const errors = useUi((s) => s.errors);
  const lost = useUi((s) => s.workerLost);
  const checkpoint = useUi((s) => s.checkpoint);
  const run = useUi((s) => s.run);
  const continueOn = (name: string) => {
    const cp = store.get().checkpoint;
    store.update({ errors: [] });
    bridge.start(name);
    // Models live in the worker: give the new one A and B again, then continue from the checkpoint.
    const wait = store.subscribe(() => {
      if (store.get().data.state === 'ready' && store.get().backend) {
        wait();
        for (const [slot, m] of store.modelBytes) bridge.loadModel(slot, m.name, m.bytes.slice(0));
        if (cp && run) bridge.startPath(run.config, { tick: cp.tick, params: cp.params });
      }
    });
  };
  if (!errors.length) return null;
  return (
    <div className="errors" role="alert">
      {errors.map((e) => (
        <div key={e.id} className="error" data-testid="error">
          <b>{e.scope}:</b> {e.message}
          {e.tick !== undefined && <> (at tick {e.tick}; the points so far are kept)</>}
          <button onClick={() => store.dismissError(e.id)}>dismiss</button>
        </div>
      ))}
      {(lost || (run?.state === 'failed' && errors.some((e) => e.scope === 'backend'))) && checkpoint && (
        <div className="recover">
          {lost ?? 'The run failed.'} Continue from the checkpoint at tick {checkpoint.tick} on another backend:
          <button data-testid="continue-wasm" onClick={() => continueOn('wasm')}>wasm</button>
          <button onClick={() => continueOn('cpu')}>cpu</button>
        </div>
      )}
    </div>
  );
}

function PathSetup({ setup, onChange, disabled }: { setup: UrlSetup; onChange: (s: UrlSetup) => void; disabled: boolean }) {
  const choose = (preset: 'paper' | 'quick', mode = setup.config.mode) => onChange({ ...setup, preset, config: presetFor(preset, mode) });
  return (
    <section className="step">
      <h2>2 · Choose the path</h2>
      <div className="row">
        <label><input type="radio" checked={setup.config.mode === 'm2m'} disabled={disabled} onChange={() => choose(setup.preset, 'm2m')} /> Model to model (A → B, Algorithm 1)</label>
        <label><input type="radio" checked={setup.config.mode === 'm2o'} disabled={disabled} onChange={() => choose(setup.preset, 'm2o')} /> Model to origin (A → 0, Algorithm 2)</label>
      </div>
      <div className="row">
        Preset:
        <label title="The paper's LeNet5 settings (M2M: 30,000 ticks, step_f 1e-3; M2O: 1,400 ticks, step_a 1e-3)">
          <input type="radio" checked={setup.preset === 'paper'} disabled={disabled} onChange={() => choose('paper')} /> paper
        </label>
        <label title="Bigger steps: the same kind of path in a few minutes on a CPU">
          <input type="radio" checked={setup.preset === 'quick'} disabled={disabled} onChange={() => choose('quick')} /> quick
        </label>
        <button onClick={() => void navigator.clipboard?.writeText(location.href)} title="The URL holds the whole setup">Copy share link</button>
      </div>
      <details open>
        <summary>All hyperparameters</summary>
        <ConfigForm config={setup.config} disabled={disabled} onChange={(config) => onChange({ ...setup, config })} />
      </details>
    </section>
  );
}

async function openRun(file: File, config: RunConfig): Promise<void> {
  try {
    const runId = `file-${file.name}-${Date.now()}`;
    const series = jsonlToSeries(await file.text(), runId);
    const last = series.tick.data[series.length - 1];
    store.update({ run: { runId, config, state: 'done', totalTicks: last, lastTick: last, ticksPerSecond: 0, stepsPerSecond: 0, resumedFrom: null, storeId: runId } });
    store.resetRun(series);
  } catch (e) {
    store.addError({ scope: 'file', message: `${file.name}: ${(e as Error).message}`, recoverable: true });
  }
}

function RunControls({ config, busy }: { config: RunConfig; busy: boolean }) {
  const run = useUi((s) => s.run);
  const models = useUi((s) => s.models);
  const ready = useUi((s) => s.backend !== null && s.data.state === 'ready');
  const missing = !models.A ? 'model A' : config.mode === 'm2m' && !models.B ? 'model B' : null;
  let invalid: string | null = null;
  try {
    validateConfig(config);
  } catch (e) {
    invalid = (e as Error).message;
  }
  const state = run?.state;
  const active = state === 'running' || state === 'paused' || state === 'starting';
  return (
    <section className="step">
      <h2>3 · Build it</h2>
      <div className="row controls">
        <button data-testid="start" disabled={!ready || busy || active || !!missing || !!invalid} onClick={() => bridge.startPath(config)}>Start</button>
        <button data-testid="pause" disabled={state !== 'running'} onClick={() => bridge.send({ type: 'pause' })}>Pause</button>
        <button data-testid="resume" disabled={state !== 'paused'} onClick={() => bridge.send({ type: 'resume' })}>Resume</button>
        <button data-testid="step" disabled={state !== 'paused'} onClick={() => bridge.send({ type: 'step' })}>Step one tick</button>
        <button data-testid="stop" disabled={!active} onClick={() => bridge.send({ type: 'stop' })}>Stop</button>
        <button disabled={!run || !active} onClick={() => bridge.send({ type: 'exportModel', slot: 'current' })}>Save current point</button>
        <button disabled={!store.series} onClick={() => download(new Blob([seriesToJsonl(store.series!)]), 'points.jsonl')}>Export points.jsonl</button>
        <button disabled={!store.series} onClick={() => download(new Blob([seriesToCsv(store.series!)]), 'points.csv')}>Export CSV</button>
        <label className="button" title="Open a points.jsonl written by `lowloss m2m/m2o` or exported here">
          Open points.jsonl…
          <input type="file" accept=".jsonl,.json" hidden data-testid="open-run" disabled={active} onChange={(e) => e.target.files?.[0] && void openRun(e.target.files[0], config)} />
        </label>
        {missing && <span className="hint">Needs {missing} first.</span>}
        {invalid && <span className="hint bad">{invalid}</span>}
      </div>
      {run && (
        <div className="run-status" data-testid="run-status">
          {run.state} · tick {run.lastTick} / {run.totalTicks}
          <progress value={run.lastTick} max={Math.max(run.totalTicks, 1)} />
          {run.ticksPerSecond > 0 && run.state === 'running' && <> ETA {((run.totalTicks - run.lastTick) / run.ticksPerSecond).toFixed(0)} s</>}
        </div>
      )}
    </section>
  );
}
