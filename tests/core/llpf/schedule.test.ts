import { describe, expect, it } from 'vitest';
import { presetFor, validateConfig, type RunConfig } from '../../../src/core/config';
import { readLenet5 } from '../../../src/core/io/checkpoint';
import { adaptStepScale, scheduledMove } from '../../../src/core/llpf/schedule';
import type { PathPoint } from '../../../src/core/llpf/pathPoint';
import { LENET5, type HostParams } from '../../../src/core/model/lenet5';
import { createPathSession } from '../../../src/core/session/pathSession';
import { readFileSync } from 'node:fs';
import { mnist } from '../../helpers';

const bundled = (seed: number): HostParams =>
  readLenet5(new Uint8Array(readFileSync(`public/models/lenet5-seed${seed}.safetensors`))).params;

const std = (v: Float32Array) => {
  const m = v.reduce((s, x) => s + x, 0) / v.length;
  return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
};

async function points(config: RunConfig, stopAfter = Infinity): Promise<PathPoint[]> {
  const r = createPathSession({ config, start: bundled(1), dest: bundled(2), mnist: mnist() });
  const out: PathPoint[] = [];
  r.session.on((e) => {
    if (e.type !== 'point') return;
    out.push(e.point);
    if (e.point.tick >= stopAfter) r.session.control.stop();
  });
  await r.session.run();
  r.dispose();
  return out;
}

describe('schedule extensions (ours; docs/ALGORITHMS.md, "Schedules (ours)")', () => {
  const quick = presetFor('quick', 'm2m');

  it('"together" steps each group its remaining distance over the ticks left; adaptive scales it', () => {
    expect(scheduledMove(quick, 1, 100, 1)).toEqual({ stepF: 0, stepA: 1 / 100, rule: 'sum', clamp: true });
    expect(scheduledMove(quick, 100, 100, 0.5)).toEqual({ stepF: 0, stepA: 0.5, rule: 'sum', clamp: true });
    const paper = presetFor('paper', 'm2m');
    expect(scheduledMove(paper, 7, 30000, 1)).toEqual({ stepF: 1e-3, stepA: 0, rule: 'max', clamp: false });
  });

  it('the adaptive step halves after a failed tick, grows back after an easy one, and is off by default', () => {
    const adaptive = validateConfig({ ...quick, adaptive: true });
    const failed = { rounds: quick.roundsMax, movingAverageLoss: 0.5, accuracy: 0.9 };
    const easy = { rounds: quick.roundsMin, movingAverageLoss: 0.01, accuracy: 1 };
    expect(adaptStepScale(adaptive, 1, failed)).toBe(0.5);
    expect(adaptStepScale(adaptive, 0.5, easy)).toBe(0.625);
    expect(adaptStepScale(adaptive, 0.9, easy)).toBe(1);
    expect(adaptStepScale(adaptive, 1 / 64, failed)).toBe(1 / 64);
    expect(adaptStepScale(quick, 1, failed)).toBe(1);
  });

  it('with training off, every group arrives together at the point of A’s variance sphere nearest B', async () => {
    const config = validateConfig({ ...quick, ticks: 6, roundsMax: 0, evalEvery: 100, snapshotEvery: 0 });
    const pts = await points(config);
    const [A, B] = [bundled(1), bundled(2)];
    const mid = pts[3];
    for (const p of LENET5.filter((s) => s.kind === 'weight')) {
      // Halfway, every group has covered about half its way (none has arrived early).
      expect(mid.tensors[p.name].distToDest / pts[0].tensors[p.name].distToDest).toBeGreaterThan(0.3);
      const residual = Math.abs(std(A.get(p.name)!) - std(B.get(p.name)!)) * Math.sqrt(A.get(p.name)!.length - 1);
      expect(pts[6].tensors[p.name].distToDest).toBeCloseTo(residual, 3);
    }
  });

  it('the quick preset (first 10 of its 100 ticks) stays low: loss ≤ its threshold, test accuracy ≥ 97 %', async () => {
    const pts = await points(validateConfig({ ...quick, evalEvery: 10, snapshotEvery: 0 }), 10);
    expect(pts.at(-1)!.tick).toBe(10);
    for (const p of pts.slice(1)) expect(p.trainLossMovingAverage!).toBeLessThanOrEqual(quick.threshold);
    expect(pts[10].test!.accuracy).toBeGreaterThanOrEqual(0.97);
  });
});
