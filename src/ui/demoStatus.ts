import type { DemoPhase, UiState } from './state/uiState';

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

/**
 * The demo's status line. Once done, it speaks of the LLPF path only while the panels still show the demo's
 * run: a later run (the lesson's M2O step, a run from the form) replaces it on the barrier chart.
 */
export function demoStatus(s: Pick<UiState, 'demo' | 'demoRunId' | 'run' | 'baselines'>): string {
  if (s.demo !== 'done') return STATUS[s.demo];
  const line = s.baselines.line?.barrier ?? null;
  const aligned = s.baselines.aligned?.barrier ?? null;
  const barriers =
    line !== null && aligned !== null
      ? `the straight line's barrier is ${line.toFixed(2)} nats, the aligned line's ${aligned.toFixed(2)}`
      : null;
  const shown = s.demoRunId !== null && s.run?.runId === s.demoRunId;
  if (shown && barriers)
    return `Done: ${barriers}; the LLPF path stays low (table below), and the plane shows the basin it runs through.`;
  if (shown) return STATUS.done;
  const later = s.run ? `a later ${s.run.config.mode.toUpperCase()} run` : 'no run';
  return (
    `Done${barriers ? `: ${barriers}` : ''}. The panels now show ${later}, not the demo's LLPF path: ` +
    'press the button to build it again.'
  );
}
