import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BASELINE_COMMANDS } from '../../src/cli/commands/baselines';
import { readLenet5 } from '../../src/core/io/checkpoint';
import { distance, flatten } from '../../src/core/baselines/flat';
import { UsageError } from '../../src/cli/args';

const root = join(__dirname, '../..');
const fixture = (n: string) => join(root, 'tests/fixtures', n);
const [A, B] = [fixture('lenet5-1epoch-seed1.safetensors'), fixture('lenet5-1epoch-seed2.safetensors')];
const model = (path: string) => readLenet5(new Uint8Array(readFileSync(path))).params;

/** Parses argv with the command's own options (as main.ts does) and runs it, capturing stdout. */
async function run(name: keyof typeof BASELINE_COMMANDS, ...args: string[]): Promise<string[]> {
  const command = BASELINE_COMMANDS[name];
  const { values } = parseArgs({ args, strict: true, options: { backend: { type: 'string' }, ...command.options } });
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((l: string) => void lines.push(l));
  try {
    await command.run({ backend: 'wasm', ...values });
  } finally {
    log.mockRestore();
  }
  return lines;
}

describe('lowloss interpolate | align | curve | autoneb | plane (issue #13)', () => {
  beforeEach(() => void vi.spyOn(console, 'error').mockImplementation(() => {}));
  afterEach(() => vi.restoreAllMocks());

  it('interpolate --json prints one line in the issue shape; --align lowers the barrier', async () => {
    const [raw] = await run('interpolate', '--a', A, '--b', B, '--points', '3', '--json');
    const out = JSON.parse(raw);
    expect(Object.keys(out).sort()).toEqual(['barrier', 't', 'testAccuracy', 'testLoss', 'trainAccuracy', 'trainLoss']);
    expect(out.t).toEqual([0, 0.5, 1]);
    for (const k of ['trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy']) expect(out[k]).toHaveLength(3);
    const aligned = JSON.parse((await run('interpolate', '--a', A, '--b', B, '--points', '3', '--align', '--json'))[0]);
    expect(aligned.trainLoss[0]).toBeCloseTo(out.trainLoss[0], 6);
    expect(aligned.barrier).toBeLessThan(out.barrier);
  });

  it('align --out writes B permuted to A: closer in L2', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lowloss-align-')), 'b-aligned.safetensors');
    const [line] = await run('align', '--a', A, '--b', B, '--out', out, '--json');
    const summary = JSON.parse(line);
    expect(summary.distanceAfter).toBeLessThan(summary.distanceBefore);
    expect(distance(flatten(model(A)), flatten(model(out)))).toBeCloseTo(summary.distanceAfter, 3);
  });

  it('plane --json prints x, y, trainLoss[iy][ix] and the points A, B, C', async () => {
    const c = join(mkdtempSync(join(tmpdir(), 'lowloss-plane-')), 'c.safetensors');
    await run('align', '--a', A, '--b', B, '--out', c);
    const out = JSON.parse(
      (await run('plane', '--a', A, '--b', B, '--c', c, '--grid', '3', '--samples', '100', '--json'))[0],
    );
    expect(out.x).toHaveLength(3);
    expect(out.y).toHaveLength(3);
    expect(out.trainLoss).toHaveLength(3);
    out.trainLoss.forEach((row: number[]) => expect(row).toHaveLength(3));
    expect(out.points.A).toEqual([0, 0]);
    expect(out.points.B[1]).toBe(0);
    expect(out.samples).toBe(100);
  });

  it('curve writes bend.safetensors and curve.json; autoneb writes path.json and its pivots', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lowloss-curve-'));
    await run('curve', '--a', A, '--b', B, '--kind', 'polychain', '--steps', '3', '--points', '3', '--out', dir);
    expect(readLenet5(new Uint8Array(readFileSync(join(dir, 'bend.safetensors')))).metadata.curve).toBe('polychain');
    const curve = JSON.parse(readFileSync(join(dir, 'curve.json'), 'utf8'));
    expect(curve.t).toEqual([0, 0.5, 1]);
    expect(curve.sgdSteps).toBe(3);
    expect(curve.testLoss).toHaveLength(3);
    const neb = mkdtempSync(join(tmpdir(), 'lowloss-neb-'));
    await run(
      'autoneb',
      '--a',
      A,
      '--b',
      B,
      '--pivots',
      '1',
      '--cycles',
      '2',
      '--steps',
      '1',
      '--points',
      '3',
      '--out',
      neb,
    );
    const path = JSON.parse(readFileSync(join(neb, 'path.json'), 'utf8'));
    expect(path.trainLoss).toHaveLength(3);
    expect(path.pivots.files).toHaveLength(4);
    expect(path.pivots.t[0]).toBe(0);
    expect(path.pivots.t[3]).toBeCloseTo(1, 9);
    expect(existsSync(join(neb, path.pivots.files[3]))).toBe(true);
    expect(path.sgdSteps).toBe(3);
  });

  it('a bad model file fails with one line (main.ts exits 1), a bad flag value is a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lowloss-bad-'));
    const truncated = join(dir, 'truncated.safetensors');
    writeFileSync(truncated, readFileSync(A).subarray(0, 5000));
    for (const [args, message] of [
      [['interpolate', '--a', truncated, '--b', B], /not a valid safetensors file/],
      [['plane', '--a', A, '--b', B, '--c', join(dir, 'missing.safetensors')], /cannot read .*ENOENT/],
      [['align', '--a', A, '--b', truncated, '--out', join(dir, 'x.safetensors')], /not a valid safetensors file/],
    ] as const) {
      const [name, ...rest] = args;
      const err = await run(name as keyof typeof BASELINE_COMMANDS, ...rest).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toMatch(/\n/);
    }
    await expect(run('curve', '--a', A, '--b', B, '--kind', 'spline', '--out', dir)).rejects.toBeInstanceOf(UsageError);
  });
});
