/**
 * Parallel speed-up of an experiment (issue #15's target: N paths on 2 cores in ≤ 0.6× the time of
 * running them one after another). Runs the same `lowloss experiment` (M2M, quick preset, short
 * paths and endpoints) with `--workers 1` and `--workers W`, interleaved round by round so both see
 * the same machine, each into a fresh folder; reports medians and their ratio. Endpoint training is
 * part of each pair's work, as in the app. Run alone: `npx tsx bench/experimentSpeedup.ts [--quick]`.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../src/core/train/benchmark';
import { timeLowloss } from './lowloss';

export interface ExperimentSpeedupBench {
  pairs: number;
  workers: number;
  rounds: number;
  /** The CLI flags both contenders ran with. */
  command: string;
  sequentialSeconds: number[];
  parallelSeconds: number[];
  medianSequentialSeconds: number;
  medianParallelSeconds: number;
  /** Median parallel / median sequential: ≤ 0.6 is #15's target on 2 cores. */
  ratio: number;
}

function runOnce(flags: string[], workers: number, pairs: number): number {
  const out = mkdtempSync(join(tmpdir(), 'lowloss-speedup-'));
  try {
    const { seconds } = timeLowloss([...flags, '--workers', String(workers), '--out', out]);
    const done = readdirSync(out).filter((d) => d.startsWith('pair-')).length;
    if (done !== pairs) throw new Error(`experiment --workers ${workers} wrote ${done} of ${pairs} pair folders`);
    return seconds;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Measures `rounds` × (1 worker, W workers) on `pairs` pairs; W = the cores, at least 2. */
export function benchExperimentSpeedup({ quick = false } = {}): ExperimentSpeedupBench {
  const pairs = quick ? 2 : 4;
  const rounds = quick ? 1 : 2;
  const workers = Math.max(2, Math.min(availableParallelism(), pairs));
  const flags = ['experiment', '--mode', 'm2m', '--pairs', String(pairs), '--epochs', '0.05', '--preset', 'quick'];
  flags.push('--ticks', '20', '--backend', 'wasm', '--json');
  const sequentialSeconds: number[] = [];
  const parallelSeconds: number[] = [];
  for (let round = 0; round < rounds; round++) {
    sequentialSeconds.push(runOnce(flags, 1, pairs));
    parallelSeconds.push(runOnce(flags, workers, pairs));
    console.log(
      `experiment round ${round + 1}/${rounds}: ${pairs} pairs, 1 worker ${sequentialSeconds.at(-1)!.toFixed(1)} s, ` +
        `${workers} workers ${parallelSeconds.at(-1)!.toFixed(1)} s`,
    );
  }
  const medianSequentialSeconds = median(sequentialSeconds);
  const medianParallelSeconds = median(parallelSeconds);
  const result: ExperimentSpeedupBench = {
    ...{ pairs, workers, rounds, command: `lowloss ${flags.join(' ')}` },
    ...{ sequentialSeconds, parallelSeconds, medianSequentialSeconds, medianParallelSeconds },
    ratio: medianParallelSeconds / medianSequentialSeconds,
  };
  console.log(
    `experiment speed-up: ${pairs} pairs (M2M quick, 20 ticks, 0.05-epoch endpoints), median ` +
      `${medianSequentialSeconds.toFixed(1)} s on 1 worker vs ${medianParallelSeconds.toFixed(1)} s on ${workers}: ` +
      `${result.ratio.toFixed(2)}× (target ≤ 0.6 on 2 cores)`,
  );
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchExperimentSpeedup({ quick: process.argv.includes('--quick') });
}
