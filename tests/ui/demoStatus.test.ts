import { describe, expect, it } from 'vitest';
import { presetFor } from '../../src/core/config';
import { demoStatus } from '../../src/ui/demoStatus';
import { reduce, type UiAction } from '../../src/ui/state/reducer';
import { INITIAL_STATE, type BaselineView, type UiState } from '../../src/ui/state/uiState';
import { runView } from './fixtures';

const run = (s: UiState, ...actions: UiAction[]) => actions.reduce(reduce, s);
const line = (barrier: number): BaselineView => ({
  runId: `b${barrier}`,
  state: 'done',
  trainImages: 10000,
  total: 3,
  t: [0, 0.5, 1],
  trainLoss: [0, barrier, 0],
  testAccuracy: [null, null, null],
  barrier,
  length: 1,
  sgdSteps: 0,
  training: null,
});
/** The demo to its end: both lines measured, its M2M run started and shown, the plane done. */
const demoDone = (): UiState => {
  const s = run(
    INITIAL_STATE,
    { type: 'demoPhase', phase: 'models' },
    { type: 'runRequested', run: runView('demo-run', { config: presetFor('quick', 'm2m') }) },
    { type: 'demoPhase', phase: 'path', runId: 'demo-run' },
    { type: 'demoPhase', phase: 'plane' },
    { type: 'demoPhase', phase: 'done' },
  );
  return { ...s, baselines: { ...s.baselines, line: line(2.18), aligned: line(1.94) } };
};

describe('the demo status line', () => {
  it('says what each phase is doing', () => {
    expect(demoStatus(INITIAL_STATE)).toMatch(/^Two LeNet5 models/);
    expect(demoStatus(run(INITIAL_STATE, { type: 'demoPhase', phase: 'path' }))).toMatch(/LLPF, quick M2M/);
  });

  it('claims the LLPF path stays low while the panels show the demo run', () => {
    const s = demoDone();
    expect(s.demoRunId).toBe('demo-run');
    expect(demoStatus(s)).toBe(
      "Done: the straight line's barrier is 2.18 nats, the aligned line's 1.94; the LLPF path stays low " +
        '(table below), and the plane shows the basin it runs through.',
    );
  });

  it('stops speaking of the LLPF path once a later run replaces it (the lesson’s M2O step)', () => {
    const s = run(demoDone(), { type: 'runRequested', run: runView('m2o-run') });
    expect(demoStatus(s)).toBe(
      "Done: the straight line's barrier is 2.18 nats, the aligned line's 1.94. The panels now show a later " +
        "M2O run, not the demo's LLPF path: press the button to build it again.",
    );
    expect(demoStatus(s)).not.toMatch(/stays low/);
  });

  it('forgets the old run when a new demo starts', () => {
    const s = run(demoDone(), { type: 'demoPhase', phase: 'models' });
    expect(s.demoRunId).toBeNull();
    expect(s.demo).toBe('models');
  });
});
