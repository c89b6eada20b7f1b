import { presetFor } from '../core/config';
import type { Slot } from '../worker/protocol';
import { bridge } from './bridge';
import { store } from './state/store';
import type { UiState } from './state/uiState';
import { BASELINE_TRAIN_IMAGES, LINE_POINTS } from './state/jobDefaults';

/** The bundled endpoints: LeNet5 trained 20 epochs with the paper's settings by `lowloss train`. */
export const BUNDLED: Record<Slot, string> = {
  A: 'models/lenet5-seed1.safetensors',
  B: 'models/lenet5-seed2.safetensors',
};
/** The demo's plane: a 21×21 grid on 2,000 training images (about 25 s here). */
export const DEMO_PLANE = { grid: 21, samples: 2000 } as const;

/**
 * Resolves in a task of its own: the commit of the step that just ended (a baseline's row, a run's
 * last points) and the next step's request then cost two tasks rather than one long one, which a
 * busy machine stretched past 50 ms as the LLPF run started (docs/UI.md, "A UI that never blocks").
 */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Resolves once the state satisfies `ok`. */
function until(ok: (s: UiState) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (ok(store.get())) return resolve();
    const off = store.subscribe(() => {
      if (!ok(store.get())) return;
      off();
      resolve();
    });
  });
}

/** Fetches a bundled model and loads it into a slot; resolves when the worker has it. */
export async function loadBundled(slot: Slot): Promise<void> {
  const res = await fetch(`${import.meta.env.BASE_URL}${BUNDLED[slot]}`);
  if (!res.ok) throw new Error(`${BUNDLED[slot]}: HTTP ${res.status}`);
  const name = `bundled ${BUNDLED[slot].split('/')[1]}`;
  bridge.loadModel(slot, name, await res.arrayBuffer());
  await until((s) => s.models[slot]?.name === name);
}

/** Loads the bundled models into the empty slots (the first visit, and the demo). */
export async function loadMissingBundled(): Promise<void> {
  await until((s) => s.backend !== null);
  const missing = (['A', 'B'] as Slot[]).filter((slot) => !store.get().models[slot]);
  await Promise.all(missing.map(loadBundled));
}

/**
 * The one-click demo (issue #16): the straight line A → B (its barrier), the line to B aligned
 * to A (lower), the LLPF path with the quick M2M preset (low all the way), then the landscape
 * plane through A, B and the path's middle snapshot, with the path projected onto it (issue #13).
 */
export async function runDemo(): Promise<void> {
  const phase = (p: UiState['demo']) => store.dispatch({ type: 'demoPhase', phase: p });
  try {
    phase('models');
    await loadMissingBundled();
    await until((s) => s.data.state === 'ready');
    phase('line');
    await bridge.baseline('line', BASELINE_TRAIN_IMAGES, LINE_POINTS);
    await nextTask();
    phase('aligned');
    await bridge.baseline('aligned', BASELINE_TRAIN_IMAGES, LINE_POINTS);
    await nextTask();
    phase('path');
    const runId = bridge.startPath(presetFor('quick', 'm2m'));
    store.dispatch({ type: 'demoPhase', phase: 'path', runId });
    await until((s) => s.run?.runId !== runId || ['done', 'stopped', 'failed'].includes(s.run.state));
    const end = store.get().run?.state;
    if (end === 'failed') return phase('failed'); // its error is shown already
    if (end !== 'done') throw new Error('the LLPF path was stopped before its end, so the plane was not computed');
    await nextTask();
    phase('plane');
    await bridge.plane(DEMO_PLANE.grid, DEMO_PLANE.samples);
    phase('done');
  } catch (e) {
    phase('failed');
    store.dispatch({ type: 'error', error: { scope: 'demo', message: (e as Error).message, recoverable: true } });
  }
}
