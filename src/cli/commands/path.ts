import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { applyOverrides, presetFor, RUN_FIELDS, type Mode, type RunConfig } from '../../core/config';
import { LENET5_GROUPS, disposeParams, toDevice, toHost } from '../../core/model/lenet5';
import { writeLenet5 } from '../../core/io/checkpoint';
import { PathState, createPathContext, llpfPath, parsePhases, type Phase } from '../../core/llpf/path';
import type { PathPoint } from '../../core/llpf/pathPoint';
import { initNodeBackend, loadMnistNode } from '../nodeHost';
import { readModelFile } from './basic';
import { str, UsageError } from '../args';

/** CLI flags of the run config, from the one config table. */
export const RUN_FLAG_OPTIONS = Object.fromEntries(
  Object.values(RUN_FIELDS).map((f) => [f.flag, { type: f.kind === 'bool' ? ('boolean' as const) : ('string' as const) }]),
);

/** Summary written to run.json when the run ends (or is stopped). */
interface RunSummary {
  ticksDone: number;
  maxTrainLossMovingAverage: number | null;
  final: PathPoint | null;
}

/** `lowloss m2m` / `lowloss m2o`: an LLPF path, written point by point to DIR/points.jsonl. */
export function pathCommand(mode: Mode) {
  return async (flags: Record<string, unknown>): Promise<void> => {
    const out = str(flags, 'out');
    const startPath = str(flags, 'start');
    const destPath = mode === 'm2m' ? str(flags, 'dest') : null;
    let config: RunConfig & { phases?: Phase[] };
    try {
      config = applyOverrides({ ...presetFor(str(flags, 'preset', 'paper'), mode), mode }, flags as Record<string, string | boolean>);
      if (flags.phases) config.phases = parsePhases(String(flags.phases));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const start = readModelFile(startPath).params;
    const dest = destPath ? readModelFile(destPath).params : null;
    const backend = await initNodeBackend(flags.backend as string | undefined);
    const mnist = loadMnistNode();

    mkdirSync(join(out, 'snapshots'), { recursive: true });
    const pointsFd = openSync(join(out, 'points.jsonl'), 'w');
    const runInfo = {
      kind: 'lowloss-run',
      version: 1,
      mode,
      config,
      start: startPath,
      dest: destPath,
      backend: backend.name,
      startedAt: new Date().toISOString(),
      status: 'running' as 'running' | 'done' | 'interrupted' | 'failed',
      error: undefined as string | undefined,
      summary: { ticksDone: 0, maxTrainLossMovingAverage: null, final: null } as RunSummary,
      finishedAt: undefined as string | undefined,
    };
    const writeRunJson = () => writeFileSync(join(out, 'run.json'), JSON.stringify(runInfo, null, 2) + '\n');
    writeRunJson();

    const A = toDevice(start);
    const B = dest ? toDevice(dest) : null;
    const state = new PathState(A, B, config);
    const ctx = createPathContext(mnist, config);
    let interrupted = false;
    const onSigint = () => {
      if (interrupted) process.exit(130); // second Ctrl-C: everything written so far is already valid
      interrupted = true;
      console.error('\nstopping after this tick (Ctrl-C again to quit at once)…');
    };
    process.on('SIGINT', onSigint);

    const total = (config.phases ?? [{ ticks: config.ticks }]).reduce((n, p) => n + p.ticks, 0);
    const summary = runInfo.summary;
    let lastReport = 0;
    const t0 = performance.now();
    try {
      for await (const { point, snapshot } of llpfPath(state, ctx)) {
        writeSync(pointsFd, JSON.stringify(point) + '\n');
        if (snapshot) {
          writeFileSync(join(out, 'snapshots', `tick-${String(snapshot.tick).padStart(6, '0')}.safetensors`), writeLenet5(new Map(Object.entries(snapshot.tensors)), { tick: String(snapshot.tick) }));
        }
        summary.ticksDone = point.tick;
        summary.final = point;
        if (point.trainLossMovingAverage !== null) {
          summary.maxTrainLossMovingAverage = Math.max(summary.maxTrainLossMovingAverage ?? -Infinity, point.trainLossMovingAverage);
        }
        const now = performance.now();
        if (now - lastReport > 1000 || point.tick === total) {
          lastReport = now;
          const rate = point.tick / ((now - t0) / 1000);
          const dist = Math.max(...LENET5_GROUPS.map((g) => point.tensors[`${g}.weight`].distToDest));
          const test = point.test ? `  test acc ${(point.test.accuracy * 100).toFixed(2)}% (${point.test.subset})` : '';
          console.error(
            `tick ${point.tick}/${total}  ${rate.toFixed(2)} ticks/s  ETA ${rate > 0 ? `${((total - point.tick) / rate).toFixed(0)} s` : '—'}  ` +
              `loss MA ${point.trainLossMovingAverage?.toFixed(4) ?? '—'}  rounds ${point.rounds}  max layer dist ${dist.toFixed(4)}${test}`,
          );
        }
        // On wasm every await resolves as a microtask, so without this the event loop (and the
        // SIGINT handler) would never run during the whole path.
        await new Promise((resolve) => setImmediate(resolve));
        if (interrupted) break;
      }
      runInfo.status = interrupted ? 'interrupted' : 'done';
    } catch (e) {
      runInfo.status = 'failed';
      runInfo.error = (e as Error).message;
      throw e;
    } finally {
      process.off('SIGINT', onSigint);
      closeSync(pointsFd);
      writeFileSync(join(out, 'final.safetensors'), writeLenet5(await toHost(state.current), { tick: String(state.tick), mode }));
      runInfo.finishedAt = new Date().toISOString();
      writeRunJson();
      state.dispose();
      disposeParams(A);
      if (B) disposeParams(B);
      ctx.batches.dispose();
      ctx.testFull.dispose();
      ctx.testSubset.dispose();
    }
    console.error(`${runInfo.status}: ${summary.ticksDone} ticks written to ${out}/ (points.jsonl, final.safetensors, run.json)`);
    if (interrupted) process.exitCode = 130;
  };
}
