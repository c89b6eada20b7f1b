import { runDemo } from '../demo';
import { useUi } from '../state/store';
import { engineBusy } from '../state/jobs';
import type { DemoPhase } from '../state/uiState';

const INTRO =
  'Two LeNet5 models trained from different seeds: see the loss barrier on the straight line between them, ' +
  'and the path that avoids it.';
const STATUS: Record<DemoPhase, string> = {
  idle: INTRO,
  models: 'Loading the two bundled models…',
  line: 'Evaluating the straight line A → B…',
  aligned: 'Aligning B to A, then evaluating the aligned line…',
  path: 'Building the low-loss path (LLPF, quick M2M preset)…',
  plane: 'Computing the landscape plane through A, B and the path’s middle (21×21 grid, 2,000 images)…',
  done: 'Done: compare the three curves and the landscape plane below.',
  failed: 'The demo stopped: see the message above.',
};

/** The one-click demo (issue #16): two bundled minima, their straight line, the aligned line, the LLPF path. */
export function Demo() {
  const phase = useUi((s) => s.demo);
  const backend = useUi((s) => s.backend !== null);
  const busy = useUi(engineBusy);
  const line = useUi((s) => s.baselines.line?.barrier ?? null);
  const aligned = useUi((s) => s.baselines.aligned?.barrier ?? null);
  const done =
    phase === 'done' && line !== null && aligned !== null
      ? `Done: the straight line's barrier is ${line.toFixed(2)} nats, the aligned line's ` +
        `${aligned.toFixed(2)}; the LLPF path stays low (table below), and the plane shows the basin it runs through.`
      : null;
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
        {done ?? STATUS[phase]}
      </span>
    </section>
  );
}
