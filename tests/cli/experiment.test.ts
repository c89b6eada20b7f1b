import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matrix, SVD } from 'ml-matrix';
import { experimentCommand, pcaCommand } from '../../src/cli/commands/experiment';
import { dimensionalityCommand } from '../../src/cli/commands/dimensionality';
import { pointsFromJsonl } from '../../src/core/llpf/pathPoint';
import { seriesNames, seriesOf, summarise, type ExperimentSummary } from '../../src/core/experiments/summary';
import { asFloat32, parseSafetensors } from '../../src/core/io/safetensors';

const root = join(__dirname, '../..');
const fixture = (n: string) => join(root, 'tests/fixtures', n);
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `lowloss-${name}-`));
const read = (...p: string[]) => readFileSync(join(...p), 'utf8');
// A tiny experiment: endpoints of 0.01 epochs (9 steps), 3 ticks of the quick preset.
const TINY = {
  mode: 'm2m',
  pairs: '2',
  epochs: '0.01',
  preset: 'quick',
  ticks: '3',
  'eval-every': '3',
  'snapshot-every': '1',
};

afterEach(() => vi.restoreAllMocks());

describe('lowloss experiment / pca / dimensionality', () => {
  it('runs pairs on 2 worker threads; summary.json = mean/std of pair files; --merge, pca read them', async () => {
    const out = tmp('exp');
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await experimentCommand({ ...TINY, workers: '2', out });
    const pairs = [1, 2].map((k) => pointsFromJsonl(read(out, `pair-${k}`, 'points.jsonl')));
    pairs.forEach((ps) => expect(ps.map((p) => p.tick)).toEqual([0, 1, 2, 3]));
    expect(JSON.parse(read(out, 'pair-2', 'pair.json'))).toMatchObject({ status: 'done', startSeed: 3, destSeed: 4 });
    const summary = JSON.parse(read(out, 'summary.json')) as ExperimentSummary;
    const direct = JSON.parse(JSON.stringify(summarise(pairs))) as ExperimentSummary;
    expect(summary.meta.pairs).toEqual([1, 2]);
    for (const name of seriesNames(direct)) {
      const [a, b] = [seriesOf(summary, name), seriesOf(direct, name)];
      expect(a.count).toEqual(b.count);
      a.mean.forEach((m, i) => (m === null ? expect(b.mean[i]).toBeNull() : expect(m).toBeCloseTo(b.mean[i]!, 12)));
      a.std.forEach((s, i) => (s === null ? expect(b.std[i]).toBeNull() : expect(s).toBeCloseTo(b.std[i]!, 12)));
    }
    expect(summary.trainLossMovingAverage).toBeDefined();

    await experimentCommand({ merge: out });
    expect(JSON.parse(read(out, 'summary.json'))).toEqual(summary);

    const pcaFile = join(out, 'pca.json');
    await pcaCommand({ runs: [out], out: pcaFile });
    const pca = JSON.parse(read(pcaFile));
    expect(pca.runs).toHaveLength(2);
    const fc1 = pca.tensors['fc1.weight'];
    expect(fc1.points).toBe(8);
    expect(fc1.runs[0].coords).toHaveLength(4);
    expect(fc1.explained[0]).toBeGreaterThan(0.5);
  });

  it('--shard 2/2 runs only its pairs into the shared folder; a second run skips finished pairs', async () => {
    const out = tmp('shard');
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    await experimentCommand({ ...TINY, workers: '1', shard: '2/2', out });
    expect(readdirSync(out).filter((n) => n.startsWith('pair-'))).toEqual(['pair-2']);
    expect(JSON.parse(read(out, 'summary.json')).meta.pairs).toEqual([2]);
    await experimentCommand({ ...TINY, workers: '1', shard: '2/2', out });
    expect(err.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/1 already done, 0 to run/);
    await expect(experimentCommand({ ...TINY, pairs: '3', shard: '1/2', out })).rejects.toThrow(/different experiment/);
  });

  it('dimensionality: direct SVD of saved displacements = printed ranks; missing destinations trained', async () => {
    const out = tmp('dim');
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await dimensionalityCommand({
      model: fixture('lenet5-1epoch-seed1.safetensors'),
      paths: '3',
      'dest-dir': join(root, 'tests/fixtures'),
      'dest-epochs': '0.01',
      rounds: '2',
      batch: '100',
      out,
      json: true,
    });
    const result = JSON.parse(String(log.mock.calls[0][0]));
    expect(result.destinations.map((d: { trained: boolean }) => d.trained)).toEqual([false, false, true]);
    expect(result.note).toMatch(/trained 1 more from seeds 1001/);
    const file = parseSafetensors(new Uint8Array(readFileSync(join(out, 'displacements.safetensors'))));
    const csv = read(out, 'threshold_dimension.csv').trim().split('\n');
    expect(csv).toHaveLength(1001);
    expect(csv[0]).toBe(`,threshold,${Object.keys(result.tensors).join(',')}`);
    for (const [name, t] of Object.entries(result.tensors) as [
      string,
      { dims: number; rank: number; singularValues: number[] },
    ][]) {
      const entry = file.tensors.get(name)!;
      expect(entry.shape).toEqual([3, t.dims]);
      const data = asFloat32(entry);
      const rows = [0, 1, 2].map((k) => Array.from(data.subarray(k * t.dims, (k + 1) * t.dims)));
      const sv = new SVD(new Matrix(rows), { autoTranspose: true }).diagonal;
      const tol = sv[0] * Math.max(3, t.dims) * 2 ** -23;
      expect(t.rank).toBe(sv.filter((s) => s > tol).length);
      t.singularValues.forEach((s, i) => expect(Math.abs(s - sv[i])).toBeLessThan(1e-6 * sv[0]));
      // The CSV's first threshold (1e-6) counts the singular values above it.
      expect(Number(csv[1].split(',')[2 + Object.keys(result.tensors).indexOf(name)])).toBe(
        sv.filter((s) => s > 1e-6).length,
      );
    }
    expect(existsSync(join(out, 'models', 'lenet5-seed1001-0.01ep.safetensors'))).toBe(true);
  });
});
