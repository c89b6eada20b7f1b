import { useRef } from 'react';
import { validateConfig, type RunConfig } from '../../core/config';
import { bridge } from '../bridge';
import { download } from '../download';
import { openPointsFile } from '../runActions';
import { seriesToCsv, seriesToJsonl } from '../runFiles';
import { store, useUi } from '../state/store';
import { isActive } from '../state/uiState';

/** Step 3: start, pause, step, stop; the run's status; exports and opening a points file. */
export function RunControls({ config, busy }: { config: RunConfig; busy: boolean }) {
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
  const active = isActive(state);
  const openFile = useRef<HTMLInputElement>(null);
  return (
    <section className="step run-controls" data-testid="run-controls" aria-labelledby="run-controls-title">
      <h3 id="run-controls-title">3 · Build it</h3>
      <div className="row controls">
        <button
          data-testid="start"
          disabled={!ready || busy || active || !!missing || !!invalid}
          onClick={() => bridge.startPath(config)}
        >
          Start
        </button>
        <button data-testid="pause" disabled={state !== 'running'} onClick={() => bridge.send({ type: 'pause' })}>
          Pause
        </button>
        <button data-testid="resume" disabled={state !== 'paused'} onClick={() => bridge.send({ type: 'resume' })}>
          Resume
        </button>
        <button data-testid="step" disabled={state !== 'paused'} onClick={() => bridge.send({ type: 'step' })}>
          Step one tick
        </button>
        <button data-testid="stop" disabled={!active} onClick={() => bridge.send({ type: 'stop' })}>
          Stop
        </button>
      </div>
      {missing && <p className="hint">Needs {missing} first.</p>}
      {invalid && <p className="hint bad">{invalid}</p>}
      {run && (
        <div className="run-status" data-testid="run-status" aria-live="polite">
          {run.state} · tick {run.lastTick} / {run.totalTicks}
          <progress value={run.lastTick} max={Math.max(run.totalTicks, 1)} aria-label="ticks done" />
          {run.ticksPerSecond > 0 && run.state === 'running' && (
            <> ETA {((run.totalTicks - run.lastTick) / run.ticksPerSecond).toFixed(0)} s</>
          )}
        </div>
      )}
      <div className="row files">
        <button disabled={!run || !active} onClick={() => bridge.send({ type: 'exportModel', slot: 'current' })}>
          Save current point
        </button>
        <button
          disabled={!store.series}
          onClick={() => download(new Blob([seriesToJsonl(store.series!)]), 'points.jsonl')}
        >
          Export points.jsonl
        </button>
        <button disabled={!store.series} onClick={() => download(new Blob([seriesToCsv(store.series!)]), 'points.csv')}>
          Export CSV
        </button>
        <button
          disabled={active}
          onClick={() => openFile.current?.click()}
          title="Open a points.jsonl written by `lowloss m2m/m2o` or exported here"
        >
          Open points.jsonl…
        </button>
        <input
          ref={openFile}
          type="file"
          accept=".jsonl,.json"
          hidden
          aria-label="points.jsonl file"
          data-testid="open-run"
          disabled={active}
          onChange={(e) => e.target.files?.[0] && void openPointsFile(e.target.files[0], config)}
        />
      </div>
    </section>
  );
}
