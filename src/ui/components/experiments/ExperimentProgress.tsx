import { experimentController } from '../../experiments/experimentController';
import { useExperiments } from '../../experiments/experimentsStore';
import type { PairProgress } from '../../experiments/experimentState';
import { formatDuration, formatMb, overallProgress, pairEtaMs, pairFraction } from '../../experiments/progress';
import { useNow } from './useNow';

const PHASE_TEXT: Record<PairProgress['phase'], string> = {
  queued: 'queued',
  endpoints: 'training endpoints',
  path: 'path',
  done: 'done',
  stopped: 'stopped',
  failed: 'failed',
};

function Bar({ fraction, testId }: { fraction: number; testId?: string }) {
  return (
    <div className="exp-bar" data-testid={testId} data-fraction={fraction.toFixed(3)}>
      <div style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
    </div>
  );
}

/** The current experiment: overall progress and ETA, the controls, and one row per pair. */
export function ExperimentProgress() {
  const s = useExperiments((x) => x);
  const running = s.runId !== null;
  const now = useNow(running);
  const r = s.current;
  if (!r) return null;
  const o = overallProgress(s, now);
  const pairs = Object.values(s.pairs);
  const status = r.status;
  const m2m = r.plan.mode === 'm2m';
  return (
    <div className="exp-progress" data-testid="exp-progress">
      <h3>
        {r.name}{' '}
        <span className={`exp-status ${status}`} data-testid="exp-status">
          {status}
        </span>
      </h3>
      <div className="row">
        <Bar fraction={o.fraction} testId="exp-overall" />
        <span data-testid="exp-overall-text">
          {o.pairsDone}/{o.pairs} pairs · {o.ticksDone.toLocaleString('en')}/{o.ticksTotal.toLocaleString('en')} ticks ·{' '}
          {running ? `ETA ${formatDuration(o.etaMs)}` : `ran ${formatDuration(r.elapsedMs)}`}
        </span>
      </div>
      <div className="row">
        {status === 'running' && (
          <button onClick={() => experimentController.pause()} data-testid="exp-pause">
            Pause
          </button>
        )}
        {status === 'paused' && (
          <button onClick={() => experimentController.resume()} data-testid="exp-resume">
            Resume
          </button>
        )}
        {running && (
          <button onClick={() => experimentController.stop()} disabled={status === 'stopping'} data-testid="exp-stop">
            Stop
          </button>
        )}
        {!running && status !== 'done' && (
          <button onClick={() => experimentController.continue()} data-testid="exp-continue">
            {status === 'new' ? 'Start' : `Continue the ${o.pairs - o.pairsDone} pairs not complete`}
          </button>
        )}
        <span className="note">
          {r.workers} worker{r.workers > 1 ? 's' : ''} · backend {r.backend ?? '—'}
          {s.memory.hostBytes !== null &&
            ` · each worker holds MNIST (${formatMb(s.memory.hostBytes)} on the host) and up to ` +
              `${formatMb(s.memory.tensorBytes)} in tensors`}
        </span>
      </div>
      <table className="exp-pairs" data-testid="exp-pair-table">
        <thead>
          <tr>
            <th>pair</th>
            <th>{m2m ? 'seeds A → B' : 'seed A → origin'}</th>
            <th>state</th>
            <th>tick</th>
            <th>progress</th>
            <th>ETA</th>
            <th>last message</th>
          </tr>
        </thead>
        <tbody>
          {pairs.map((p) => {
            const a = r.plan.seedBase + (m2m ? 2 * p.index - 1 : p.index);
            return (
              <tr key={p.index} data-testid={`exp-pair-${p.index}`} data-phase={p.phase}>
                <td>{p.index}</td>
                <td>{m2m ? `${a} → ${a + 1}` : `${a} → 0`}</td>
                <td>{PHASE_TEXT[p.phase]}</td>
                <td>
                  {p.phase === 'done' ? p.total : p.tick}/{p.total}
                </td>
                <td>
                  <Bar fraction={pairFraction(p)} />
                </td>
                <td>{p.phase === 'done' ? formatDuration(p.pathMs) : formatDuration(pairEtaMs(p, now))}</td>
                <td className="msg" title={p.error ?? p.message}>
                  {p.error ?? p.message}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
