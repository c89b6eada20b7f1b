import { runDemo } from '../demo';
import { demoStatus } from '../demoStatus';
import { useUi } from '../state/store';
import { engineBusy } from '../state/jobs';

/** The one-click demo (issue #16): two bundled minima, their straight line, the aligned line, the LLPF path. */
export function Demo() {
  const phase = useUi((s) => s.demo);
  const backend = useUi((s) => s.backend !== null);
  const busy = useUi(engineBusy);
  const status = useUi(demoStatus);
  const running = phase !== 'idle' && phase !== 'done' && phase !== 'failed';
  return (
    <section className="demo">
      <button
        className="primary"
        data-testid="demo"
        disabled={!backend || busy || running}
        onClick={() => void runDemo()}
      >
        Show the low-loss path
      </button>
      <span className="demo-status" data-testid="demo-status" aria-live="polite">
        {status}
      </span>
    </section>
  );
}
