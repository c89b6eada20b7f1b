import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLenet5 } from '../../src/core/io/checkpoint';
import { writeBinaryLenet5 } from '../../src/core/binary/io';
import { initBinaryHost } from '../../src/core/binary/model';
import { sphereNorms } from '../../src/core/geometry/canonical';
import { GEOMETRY_COMMANDS, evalBinary, isBinaryModelFlag, trainGeometry } from '../../src/cli/commands/geometry';
import { readBinaryLenet5 } from '../../src/core/binary/io';

// The command functions run in-process (main.ts registers them; see the geometry report).
const root = join(__dirname, '../..');
const fixture = (n: string) => join(root, 'tests/fixtures', n);
const [A, B] = [fixture('lenet5-1epoch-seed1.safetensors'), fixture('lenet5-1epoch-seed2.safetensors')];

async function run(name: keyof typeof GEOMETRY_COMMANDS, args: string[]): Promise<string[]> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { backend: { type: 'string' }, ...GEOMETRY_COMMANDS[name].options },
  });
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
  try {
    await GEOMETRY_COMMANDS[name].run({ backend: 'wasm', ...values });
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe('lowloss canon / compare / geodesic / flatness', () => {
  afterEach(() => vi.restoreAllMocks());
  const dir = mkdtempSync(join(tmpdir(), 'lowloss-geo-'));

  it('canon writes a model whose every unit has norm 1', async () => {
    const out = join(dir, 'canon.safetensors');
    const [line] = await run('canon', ['--model', A, '--out', out, '--json']);
    expect(JSON.parse(line).maxNormError).toBeLessThan(1e-5);
    const { params, metadata } = readLenet5(new Uint8Array(readFileSync(out)));
    expect(metadata.canonical).toBe('true');
    expect(Math.max(...sphereNorms(params).map((n) => Math.abs(n - 1)))).toBeLessThan(1e-5);
  });

  it('compare --json prints one line with the six numbers', async () => {
    const lines = await run('compare', ['--a', A, '--b', B, '--json']);
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]);
    expect(Object.keys(r).sort()).toEqual([
      'functionDistance',
      'geodesic',
      'l2',
      'l2Aligned',
      'testErrorA',
      'testErrorB',
    ]);
    expect(r.l2Aligned).toBeLessThan(r.l2);
  });

  it('geodesic --json gives t, errors and the barrier; flatness --json gives δE(σ)', async () => {
    const g = JSON.parse(
      (await run('geodesic', ['--a', A, '--b', B, '--points', '3', '--train-samples', '1000', '--json']))[0],
    );
    expect(g.t).toEqual([0, 0.5, 1]);
    expect(g.trainError).toHaveLength(3);
    expect(g.barrier).toBeGreaterThan(0);
    const f = JSON.parse(
      (
        await run('flatness', ['--model', A, '--sigmas', '0,0.3', '--samples', '1', '--train-samples', '500', '--json'])
      )[0],
    );
    expect(f.sigma).toEqual([0, 0.3]);
    expect(f.localEnergy[0]).toBe(0);
  });

  it('bad input fails with one line: missing file, bad numbers, a binary model where a real one is needed', async () => {
    await expect(run('compare', ['--a', join(dir, 'nope.safetensors'), '--b', B])).rejects.toThrow(
      /^cannot read .*ENOENT$/,
    );
    await expect(run('geodesic', ['--a', A, '--b', B, '--points', '1'])).rejects.toThrow(
      /--points must be an integer ≥ 2/,
    );
    await expect(run('flatness', ['--model', A, '--sigmas', '0,x'])).rejects.toThrow(/--sigmas must be a comma list/);
    await expect(run('compare', ['--b', B])).rejects.toThrow(/--a is required/);
    const bin = join(dir, 'binary.safetensors');
    writeFileSync(bin, writeBinaryLenet5(initBinaryHost(1)));
    await expect(run('canon', ['--model', bin, '--out', join(dir, 'x')])).rejects.toThrow(/is a binary model/);
    await expect(run('compare', ['--a', A, '--b', bin])).rejects.toThrow(/both be real-valued or both binary/);
  });

  it('evaluates and compares binary files', async () => {
    const [b1, b2] = [join(dir, 'b1.safetensors'), join(dir, 'b2.safetensors')];
    writeFileSync(b1, writeBinaryLenet5(initBinaryHost(1)));
    writeFileSync(b2, writeBinaryLenet5(initBinaryHost(2)));
    expect(isBinaryModelFlag({ model: b1 })).toBe(true);
    expect(isBinaryModelFlag({ model: A })).toBe(false);
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
    await evalBinary({ model: b1, json: true, backend: 'wasm' });
    vi.restoreAllMocks();
    expect(JSON.parse(lines[0])).toMatchObject({ samples: 10000, binary: true });
    const r = JSON.parse((await run('compare', ['--a', b1, '--b', b2, '--json']))[0]);
    expect(r.hammingFraction).toBeGreaterThan(0.3);
  });

  it('train --optimizer adam and train --binary write their models (a few steps each)', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const [real, bin] = [join(dir, 'adam.safetensors'), join(dir, 'bin.safetensors')];
    await trainGeometry({ optimizer: 'adam', epochs: '0.02', out: real, backend: 'wasm' });
    expect(readLenet5(new Uint8Array(readFileSync(real))).metadata).toMatchObject({ optimizer: 'adam', lr: '0.001' });
    await trainGeometry({ binary: true, epochs: '0.02', out: bin, backend: 'wasm' });
    expect(readBinaryLenet5(new Uint8Array(readFileSync(bin))).metadata.binary).toBe('true');
    await expect(trainGeometry({ optimizer: 'rmsprop' })).rejects.toThrow(/--optimizer must be sgd or adam/);
  });
});
