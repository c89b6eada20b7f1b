import { geometryBridge } from '../../geometry/bridge';
import { geometryStore, useGeometry } from '../../geometry/store';

/** The worker's status, the running job's progress with Cancel, and the section's errors. */
export function JobBar() {
  const worker = useGeometry((s) => s.worker);
  const data = useGeometry((s) => s.data);
  const job = useGeometry((s) => s.job);
  const errors = useGeometry((s) => s.errors);
  const status =
    worker.state === 'ready'
      ? `geometry worker on ${worker.backend}${data === 'ready' ? ', MNIST loaded' : ', loading MNIST…'}`
      : worker.state === 'failed'
        ? 'geometry worker stopped'
        : 'starting the geometry worker…';
  return (
    <div className="geo-jobbar" data-testid="geometry-status">
      <span className="geo-worker">{status}</span>
      {job && (
        <span className="geo-job" data-testid="geometry-job">
          <progress max={Math.max(1, job.total)} value={job.done} />
          <span>
            {job.type}: {job.label} ({job.done}/{job.total})
          </span>
          <button type="button" onClick={() => geometryBridge.cancel()} data-testid="geometry-cancel">
            Cancel
          </button>
        </span>
      )}
      {errors.map((e) => (
        <p key={e.id} className="geo-error" role="alert" data-testid="geometry-error">
          {e.message}{' '}
          <button type="button" onClick={() => geometryStore.dispatch({ type: 'dismissError', id: e.id })}>
            Dismiss
          </button>
        </p>
      ))}
    </div>
  );
}
