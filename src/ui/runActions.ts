import type { RunConfig } from '../core/config';
import type { Slot } from '../worker/protocol';
import { bridge } from './bridge';
import { jsonlToSeries } from './runFiles';
import { store } from './state/store';
import { runStorage, type StoredRun } from './storage/runStorage';

/** Reopens a stored run: its points, and (if it did not finish) a continuation from its checkpoint. */
export async function reopenRun(run: StoredRun, continueIt: boolean): Promise<void> {
  const upTo = continueIt && run.checkpoint ? run.checkpoint.tick : Infinity;
  const series = await runStorage.loadSeries(run, upTo);
  for (const [slot, m] of Object.entries(await runStorage.models(run.runId)) as Array<
    [Slot, { name: string; bytes: ArrayBuffer }]
  >) {
    store.modelBytes.set(slot, m);
    if (continueIt) bridge.loadModel(slot, m.name, m.bytes.slice(0));
  }
  const last = series.length ? series.tick.data[series.length - 1] : 0;
  store.resetRun(series);
  const state = run.state === 'done' ? 'done' : 'stopped';
  const view = { runId: run.runId, config: run.config, state, totalTicks: run.config.ticks, lastTick: last } as const;
  store.dispatch({
    type: 'runOpened',
    run: { ...view, ticksPerSecond: 0, stepsPerSecond: 0, resumedFrom: null, storeId: run.runId },
  });
  if (continueIt && run.checkpoint) bridge.startPath(run.config, run.checkpoint, run.runId);
}

/** Shows a points.jsonl (from the CLI or an export) as a finished run; a bad file is reported, not thrown. */
export async function openPointsFile(file: File, config: RunConfig): Promise<void> {
  try {
    const runId = `file-${file.name}-${Date.now()}`;
    const series = jsonlToSeries(await file.text(), runId);
    const last = series.tick.data[series.length - 1];
    store.resetRun(series);
    const view = {
      runId,
      config,
      state: 'done',
      totalTicks: last,
      lastTick: last,
      resumedFrom: null,
      storeId: runId,
    } as const;
    store.dispatch({ type: 'runOpened', run: { ...view, ticksPerSecond: 0, stepsPerSecond: 0 } });
  } catch (e) {
    const message = `${file.name}: ${(e as Error).message}`;
    store.dispatch({ type: 'error', error: { scope: 'file', message, recoverable: true } });
  }
}
