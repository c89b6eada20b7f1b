import { presetFor } from '../core/config';
import type { Slot } from '../worker/protocol';
import { bridge } from './bridge';
import { store } from './state/store';
import type { UiState } from './state/uiState';

/** The bundled endpoints: LeNet5 trained 20 epochs with the paper's settings by `lowloss train`. */
export const BUNDLED: Record<Slot, string> = {
  A: 'models/lenet5-seed1.safetensors',
  B: 'models/lenet5-seed2.safetensors',
};
/** Training images the demo's barriers are measured on (SPEC §9: the first 10,000). */
export const DEMO_TRAIN_IMAGES = 10000;
/** Points along each straight line. */
export const DEMO_POINTS = 25;

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
 * to A (lower), then the LLPF path with the quick M2M preset (low all the way).
 */
export async function runDemo(): Promise<void> {
  const phase = (p: UiState['demo']) => store.dispatch({ type: 'demoPhase', phase: p });
  try {
    phase('models');
    await loadMissingBundled();
    await until((s) => s.data.state === 'ready');
    phase('line');
    await bridge.baseline('line', DEMO_TRAIN_IMAGES, DEMO_POINTS);
    phase('aligned');
    await bridge.baseline('aligned', DEMO_TRAIN_IMAGES, DEMO_POINTS);
    phase('path');
    const runId = bridge.startPath(presetFor('quick', 'm2m'));
    await until((s) => s.run?.runId !== runId || ['done', 'stopped', 'failed'].includes(s.run.state));
    phase(store.get().run?.state === 'failed' ? 'failed' : 'done');
  } catch (e) {
    phase('failed');
    store.dispatch({ type: 'error', error: { scope: 'demo', message: (e as Error).message, recoverable: true } });
  }
}
