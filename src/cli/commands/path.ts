import { describeClaims } from '../../core/llpf/claims';
import { readFileSync } from 'node:fs';
import { applyOverrides, presetFor, RUN_FIELDS, type Mode } from '../../core/config';
import { readPathCheckpoint } from '../../core/io/checkpoint';
import { parsePhases, type PhasedConfig } from '../../core/llpf/phases';
import type { StreamCursor } from '../../core/llpf/pathContext';
import type { PathPoint } from '../../core/llpf/pathPoint';
import { LENET5_GROUPS, toHost } from '../../core/model/lenet5';
import { createPathSession, type PathResume } from '../../core/session/pathSession';
import { initNodeBackend, loadMnistNode, yieldToNode } from '../../node/nodeHost';
import { RunDir } from '../runDir';
import { readModelFile } from './basic';
import { str, UsageError } from '../args';

/** CLI flags of the run config, from the one config table. */
export const RUN_FLAG_OPTIONS = Object.fromEntries(
  Object.values(RUN_FIELDS).map((f) => [f.flag, { type: 'string' as const }]),
);

function configFrom(flags: Record<string, unknown>, mode: Mode): PhasedConfig {
  try {
    const base = { ...presetFor(str(flags, 'preset', 'paper'), mode), mode };
    const config: PhasedConfig = applyOverrides(base, flags as Record<string, string | boolean>);
    if (flags.phases) config.phases = parsePhases(String(flags.phases), config.trainLayers);
    return config;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** A checkpoint file (DIR/snapshots/tick-N.safetensors) to continue from. */
function readResume(path: string): PathResume {
  const bytes = readFileSync(path);
  const cp = readPathCheckpoint(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (!cp.cursor) console.error(`${path} has no batch cursor: the continuation will not be exact`);
  return { tick: cp.tick, params: cp.params, cursor: cp.cursor as StreamCursor | null };
}

/** One progress line (stderr). */
function progressLine(point: PathPoint, total: number, ticksPerSecond: number): string {
  const eta = ticksPerSecond > 0 ? `${((total - point.tick) / ticksPerSecond).toFixed(0)} s` : '—';
  const dist = Math.max(...LENET5_GROUPS.map((g) => point.tensors[`${g}.weight`].distToDest));
  const test = point.test ? `  test acc ${(point.test.accuracy * 100).toFixed(2)}% (${point.test.subset})` : '';
  const loss = point.trainLossMovingAverage?.toFixed(4) ?? '—';
  return (
    `tick ${point.tick}/${total}  ${ticksPerSecond.toFixed(2)} ticks/s  ETA ${eta}  loss MA ${loss}  ` +
    `rounds ${point.rounds}  max layer dist ${dist.toFixed(4)}${test}`
  );
}

/** `lowloss m2m` / `lowloss m2o`: an LLPF path hosted by the session driver, written to DIR (see RunDir). */
export function pathCommand(mode: Mode) {
  return async (flags: Record<string, unknown>): Promise<void> => {
    const out = str(flags, 'out');
    const startPath = str(flags, 'start');
    const destPath = mode === 'm2m' ? str(flags, 'dest') : null;
    const config = configFrom(flags, mode);
    const start = readModelFile(startPath).params;
    const dest = destPath ? readModelFile(destPath).params : null;
    const resumePath = flags.resume === undefined ? undefined : String(flags.resume);
    const resume = resumePath ? readResume(resumePath) : undefined;
    const backend = await initNodeBackend(flags.backend as string | undefined);
    const mnist = loadMnistNode();

    const run = createPathSession({ config, start, dest, mnist, resume, yieldToHost: yieldToNode });
    const dir = new RunDir(out, {
      mode,
      config,
      start: startPath,
      dest: destPath,
      backend: backend.name,
      resumedFrom: resumePath,
    });
    const { session, total } = run;
    session.on(dir.onEvent);
    let lastReport = 0;
    session.on((e) => {
      if (e.type !== 'point') return;
      const now = performance.now();
      if (now - lastReport < 1000 && e.point.tick !== total) return;
      lastReport = now;
      const done = e.point.tick - (resume?.tick ?? 0);
      console.error(progressLine(e.point, total, done / (e.point.wallTimeMs / 1000)));
    });
    const onSigint = () => {
      if (session.control.isStopped) process.exit(130); // second Ctrl-C: everything written so far is valid
      session.control.stop();
      console.error('\nstopping after this tick (Ctrl-C again to quit at once)…');
    };
    process.on('SIGINT', onSigint);
    const outcome: { error: Error | null } = { error: null };
    session.on((e) => {
      if (e.type === 'error') outcome.error = e.error;
    });
    try {
      await session.run();
      dir.finish(await toHost(run.state.current), run.state.tick);
    } finally {
      process.off('SIGINT', onSigint);
      run.dispose();
    }
    if (outcome.error) throw outcome.error;
    if (dir.summary.claims) console.error(describeClaims(dir.summary.claims));
    console.error(
      `${dir.status}: ${dir.summary.ticksDone} ticks written to ${out}/ (points.jsonl, final.safetensors, run.json)`,
    );
    if (dir.status === 'interrupted') process.exitCode = 130;
  };
}
