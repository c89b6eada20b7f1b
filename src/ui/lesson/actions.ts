import { presetFor } from '../../core/config';
import { bridge } from '../bridge';
import { loadMissingBundled, runDemo } from '../demo';
import type { UiState } from '../state/uiState';
import { isActive } from '../state/uiState';
import { store } from '../state/store';
import type { LessonActionKind } from './steps';

/** A step's action: its button label, whether its result is already there, and how to run it. */
export interface LessonActionSpec {
  label: string;
  /** True when what the action produces is already on screen (the button then says so). */
  done: (s: UiState) => boolean;
  run: () => Promise<void>;
}

/** A quick M2O run from the bundled model A (Algorithm 2, the quick preset of src/core/presets.ts). */
async function startQuickM2o(): Promise<void> {
  await loadMissingBundled();
  bridge.startPath(presetFor('quick', 'm2o'));
}

/** Whether something runs in the worker now (a lesson action then waits: one job at a time). */
export function workerBusy(s: UiState): boolean {
  const demoRunning = s.demo !== 'idle' && s.demo !== 'done' && s.demo !== 'failed';
  const training = Object.values(s.training).some((t) => t && t.step < t.totalSteps);
  return demoRunning || training || isActive(s.run?.state);
}

export const LESSON_ACTIONS: Readonly<Record<LessonActionKind, LessonActionSpec>> = {
  loadModels: {
    label: 'Load the two bundled models',
    done: (s) => !!s.models.A && !!s.models.B,
    run: loadMissingBundled,
  },
  demo: {
    label: 'Show the low-loss path (straight line, aligned line, LLPF path)',
    done: (s) => s.demo === 'done',
    run: runDemo,
  },
  m2o: {
    label: 'Start a quick M2O run (about 2,000 SGD steps)',
    done: (s) => s.run?.config.mode === 'm2o' && s.run.state === 'done',
    run: startQuickM2o,
  },
};

/** Runs a step's action; a failure is shown like every other error (Errors.tsx), never swallowed. */
export function runLessonAction(kind: LessonActionKind): void {
  LESSON_ACTIONS[kind].run().catch((e: unknown) =>
    store.dispatch({
      type: 'error',
      error: { scope: 'lesson', message: (e as Error).message ?? String(e), recoverable: true },
    }),
  );
}
