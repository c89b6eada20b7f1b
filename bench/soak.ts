/**
 * Soak: a long path in Node with training off (M2O, roundsMax 0: move and geometry only, the
 * fastest ticks, so 100,000 of them run in minutes) hosted by the session driver with every
 * observer on. Reports the TF.js tensor count and the JS heap at the start and the end: both
 * must stay flat. Run alone: `node --expose-gc --import tsx bench/soak.ts [--ticks N] [--json FILE]`
 * (with --expose-gc the heap is measured after a full collection); `npm run bench` runs it too.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '../src/core/tf';
import { presetFor, validateConfig } from '../src/core/config';
import { readLenet5 } from '../src/core/io/checkpoint';
import { createPathSession } from '../src/core/session/pathSession';
import { initNodeBackend, loadMnistNode } from '../src/node/nodeHost';

export interface SoakResult {
  ticks: number;
  seconds: number;
  ticksPerSecond: number;
  /** Sampled after the warm-up (tick `from`) and at the end. */
  from: number;
  tensorsStart: number;
  tensorsEnd: number;
  heapStartMB: number;
  heapEndMB: number;
  /** Every 10 % of the run: [tick, tensors, heap MB]. */
  samples: Array<[number, number, number]>;
}

const heapMB = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

/** Runs the soak and returns its figures (also printed). */
export async function soak(ticks = 100_000): Promise<SoakResult> {
  await initNodeBackend('wasm');
  const mnist = loadMnistNode();
  const model = new URL('../public/models/lenet5-seed1.safetensors', import.meta.url);
  const start = readLenet5(new Uint8Array(readFileSync(model))).params;
  const base = presetFor('quick', 'm2o');
  const config = validateConfig({
    ...base,
    ...{ ticks, stepA: 1 / ticks, roundsMin: 0, roundsMax: 0, evalEvery: ticks, evalSubset: 100 },
    ...{ snapshotEvery: ticks / 10 }, // snapshots and checkpoints ride along, 11 of each
  });
  const run = createPathSession({ config, start, dest: null, mnist });
  const from = Math.min(1000, ticks / 10);
  const every = Math.max(1, Math.round(ticks / 10));
  const samples: Array<[number, number, number]> = [];
  let points = 0;
  run.session.on((e) => {
    if (e.type === 'point') points++;
    if (e.type !== 'progress' || (e.done !== from && e.done % every !== 0)) return;
    samples.push([e.done, tf.memory().numTensors, heapMB()]);
    const [t, n, h] = samples.at(-1)!;
    console.log(
      `soak tick ${t}: ${n} tensors, heap ${h.toFixed(1)} MB, ${(e.done / (e.elapsedMs / 1000)).toFixed(0)} ticks/s`,
    );
  });
  const t0 = performance.now();
  const status = await run.session.run();
  const seconds = (performance.now() - t0) / 1000;
  run.dispose();
  if (status !== 'done' || points !== ticks + 1) throw new Error(`soak ended ${status} after ${points} points`);
  const first = samples.find(([t]) => t === from)!;
  const last = samples.at(-1)!;
  const result: SoakResult = {
    ...{ ticks, seconds, ticksPerSecond: ticks / seconds, from },
    ...{ tensorsStart: first[1], tensorsEnd: last[1], heapStartMB: first[2], heapEndMB: last[2], samples },
  };
  console.log(
    `soak: ${ticks} ticks (training off) in ${seconds.toFixed(0)} s; ` +
      `tensors ${result.tensorsStart} at tick ${from} → ` +
      `${result.tensorsEnd} at the end; heap ${result.heapStartMB.toFixed(1)} → ${result.heapEndMB.toFixed(1)} MB`,
  );
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const ticks = args.includes('--ticks') ? Number(args[args.indexOf('--ticks') + 1]) : 100_000;
  const result = await soak(ticks);
  if (args.includes('--json')) writeFileSync(args[args.indexOf('--json') + 1], JSON.stringify(result, null, 2));
  process.exit(result.tensorsEnd === result.tensorsStart ? 0 : 1);
}
