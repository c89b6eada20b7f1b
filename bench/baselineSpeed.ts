/**
 * Speed of the baselines issue #13 names: the straight line with 25 points (train loss on the first
 * 10,000 training images, test metrics on all 10,000 test images) and a 21×21 landscape plane on
 * 2,000 training images, both through the bundled models, each timed as the `lowloss` command a user
 * runs (`--backend wasm`), median of `rounds`. C of the plane is B aligned to A (`lowloss align`).
 * The app computes the same in its worker; the demo e2e prints its plane time. Run alone:
 * `npx tsx bench/baselineSpeed.ts [--quick]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../src/core/train/benchmark';
import { timeLowloss } from './lowloss';

export interface BaselineSpeedBench {
  rounds: number;
  interpolateSeconds: number[];
  planeSeconds: number[];
  medianInterpolateSeconds: number;
  medianPlaneSeconds: number;
  /** The straight line's barrier (nats) the timed runs computed, as a check they did the work. */
  barrier: number;
}

const A = 'public/models/lenet5-seed1.safetensors';
const B = 'public/models/lenet5-seed2.safetensors';

const lowloss = (args: string[]) => timeLowloss([...args, '--backend', 'wasm']);

export function benchBaselineSpeed({ quick = false } = {}): BaselineSpeedBench {
  const rounds = quick ? 1 : 2;
  const dir = mkdtempSync(join(tmpdir(), 'lowloss-baselines-'));
  try {
    const C = join(dir, 'b-aligned.safetensors');
    lowloss(['align', '--a', A, '--b', B, '--out', C]);
    const interpolateSeconds: number[] = [];
    const planeSeconds: number[] = [];
    let barrier = NaN;
    for (let round = 0; round < rounds; round++) {
      const line = lowloss(['interpolate', '--a', A, '--b', B, '--points', '25', '--json']);
      interpolateSeconds.push(line.seconds);
      barrier = (JSON.parse(line.stdout.trim().split('\n').at(-1)!) as { barrier: number }).barrier;
      planeSeconds.push(
        lowloss(['plane', '--a', A, '--b', B, '--c', C, '--grid', '21', '--samples', '2000', '--json']).seconds,
      );
    }
    const result: BaselineSpeedBench = {
      ...{ rounds, interpolateSeconds, planeSeconds, barrier },
      medianInterpolateSeconds: median(interpolateSeconds),
      medianPlaneSeconds: median(planeSeconds),
    };
    console.log(
      `baselines (node, wasm, whole CLI commands): straight line with 25 points ` +
        `${result.medianInterpolateSeconds.toFixed(1)} s (barrier ${barrier.toFixed(3)} nats), ` +
        `21×21 plane on 2,000 images ${result.medianPlaneSeconds.toFixed(1)} s (medians of ${rounds})`,
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchBaselineSpeed({ quick: process.argv.includes('--quick') });
}
