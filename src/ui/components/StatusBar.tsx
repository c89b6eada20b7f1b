import { bridge } from '../bridge';
import { useUi } from '../state/store';

/** Backend, data and speed at a glance. */
export function StatusBar() {
  const backend = useUi((s) => s.backend);
  const data = useUi((s) => s.data);
  const run = useUi((s) => s.run);
  const training = useUi((s) => s.training);
  const steps =
    run?.state === 'running'
      ? run.stepsPerSecond
      : Math.max(training.A?.stepsPerSecond ?? 0, training.B?.stepsPerSecond ?? 0);
  return (
    <div className="status" data-testid="status">
      <span data-testid="backend" title={backend?.reason}>
        {backend ? (
          <>
            backend <b>{backend.name}</b>
            {backend.name === 'wasm' && (backend.threads ? ' (threads)' : ' (1 thread)')}
          </>
        ) : (
          'starting engine…'
        )}
      </span>
      {backend && (
        <span className="reason" title={backend.reason}>
          {backend.reason}
        </span>
      )}
      <span>
        MNIST{' '}
        {data.state === 'ready'
          ? `loaded (60,000 + 10,000${data.ms ? `, ${(data.ms / 1000).toFixed(1)} s` : ''})`
          : data.state}
        {data.state === 'error' && (
          <button data-testid="retry-data" onClick={() => bridge.loadData()}>
            try again
          </button>
        )}
      </span>
      {run && <span data-testid="speed">{run.ticksPerSecond.toFixed(2)} ticks/s</span>}
      {steps > 0 && <span>{steps.toFixed(1)} SGD steps/s</span>}
    </div>
  );
}
