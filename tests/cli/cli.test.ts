import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLenet5 } from '../../src/core/io/checkpoint';
import {
  fromJsonl,
  packPoints,
  pointsFromJsonl,
  pointsToJsonl,
  toJsonl,
  unpackPoints,
} from '../../src/core/llpf/pathPoint';

const root = join(__dirname, '../..');
const bin = join(root, 'bin/lowloss.mjs');
const fixture = (n: string) => join(root, 'tests/fixtures', n);
const lowloss = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 170_000 });

describe('lowloss CLI', () => {
  it('eval --json prints one line with accuracy and loss on all 10,000 test images', () => {
    const r = lowloss('eval', '--model', fixture('lenet5-1epoch-seed1.safetensors'), '--json');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]);
    expect(out.samples).toBe(10000);
    expect(out.testAccuracy).toBeGreaterThan(0.97);
    expect(out.testLoss).toBeGreaterThan(0);
  });

  it('a bad model file exits non-zero with one clear line and no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lowloss-'));
    const truncated = join(dir, 'truncated.safetensors');
    writeFileSync(truncated, readFileSync(fixture('torch-lenet5.safetensors')).subarray(0, 5000));
    for (const [path, message] of [
      [truncated, /not a valid safetensors file: .*(truncated|outside)/],
      [join(dir, 'missing.safetensors'), /cannot read .*ENOENT/],
    ] as const) {
      const r = lowloss('eval', '--model', path);
      expect(r.status).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('rejects unknown flags and bad values with usage (exit 2)', () => {
    const r = lowloss('m2m', '--start', 'a', '--dest', 'b', '--out', '/tmp/x', '--step-f', 'fast');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--step-f: "fast" is not a number/);
    expect(lowloss('train', '--epoch', '1').stderr).toMatch(/Unknown option '--epoch'/);
  });

  it('m2m writes points.jsonl, final.safetensors and run.json; Ctrl-C stops cleanly with everything valid', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lowloss-run-'));
    const child = spawn(
      process.execPath,
      [
        bin,
        'm2m',
        '--start',
        fixture('lenet5-1epoch-seed1.safetensors'),
        '--dest',
        fixture('lenet5-1epoch-seed2.safetensors'),
        '--out',
        out,
        '--preset',
        'quick',
        '--ticks',
        '1000',
        '--eval-every',
        '1000',
        '--snapshot-every',
        '0',
      ],
      { cwd: root },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Wait for a few ticks, then interrupt.
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      void exited.then((c) => reject(new Error(`lowloss exited early (${c}): ${stderr}`)));
      const t = setInterval(() => {
        if (
          existsSync(join(out, 'points.jsonl')) &&
          readFileSync(join(out, 'points.jsonl'), 'utf8').split('\n').length > 4
        ) {
          clearInterval(t);
          resolve();
        }
      }, 200);
    });
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted: \d+ ticks written/);
    const points = readFileSync(join(out, 'points.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(points[0].tick).toBe(0);
    points.forEach((p, i) => expect(p.tick).toBe(i));
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.status).toBe('interrupted');
    expect(run.summary.ticksDone).toBe(points.length - 1);
    expect(run.config.stepF).toBe(0.1);
    const final = readLenet5(new Uint8Array(readFileSync(join(out, 'final.safetensors'))));
    expect(final.metadata.tick).toBe(String(points.length - 1));
  });
});

describe('lowloss m2m/m2o files', () => {
  const m2o = (out: string, ...extra: string[]) =>
    lowloss(
      'm2o',
      '--start',
      fixture('lenet5-1epoch-seed1.safetensors'),
      '--out',
      out,
      '--preset',
      'quick',
      '--ticks',
      '4',
      '--rounds-min',
      '1',
      '--rounds-max',
      '2',
      '--eval-every',
      '2',
      '--eval-subset',
      '100',
      '--snapshot-every',
      '2',
      ...extra,
    );

  it("points.jsonl is the schema's JSONL (the app's export gives the same bytes); --resume continues exactly", () => {
    const out = mkdtempSync(join(tmpdir(), 'lowloss-schema-'));
    const r = m2o(out);
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(join(out, 'points.jsonl'), 'utf8');
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(5);
    for (const [i, line] of lines.entries()) expect(toJsonl(fromJsonl(line, i + 1))).toBe(line);
    // The app: points travel packed from the worker, the export unpacks and writes them.
    expect(pointsToJsonl(unpackPoints(packPoints(pointsFromJsonl(text))))).toBe(text);
    expect(JSON.parse(lines[2]).test.subset).toBe('random-100');
    expect(JSON.parse(lines[2]).tensors['fc1.weight'].halfSqDistToDest).toBeGreaterThan(0);

    const cont = mkdtempSync(join(tmpdir(), 'lowloss-resume-'));
    const r2 = m2o(cont, '--resume', join(out, 'snapshots', 'tick-000002.safetensors'));
    expect(r2.status, r2.stderr).toBe(0);
    const strip = (l: string) => ({ ...JSON.parse(l), wallTimeMs: 0, timing: null });
    const continued = readFileSync(join(cont, 'points.jsonl'), 'utf8').trim().split('\n');
    expect(continued.map(strip)).toEqual(lines.slice(3).map(strip));
  });
});

describe('lowloss train', () => {
  it('trains from the endpoint config table and records it in the model file', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lowloss-train-')), 'm.safetensors');
    const r = lowloss(
      'train',
      '--seed',
      '3',
      '--epochs',
      '0.02',
      '--test-samples',
      '100',
      '--report-every',
      '5',
      '--out',
      out,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/step 19\/19 .*test acc/);
    const { metadata } = readLenet5(new Uint8Array(readFileSync(out)));
    expect(metadata).toMatchObject({
      seed: '3',
      epochs: '0.02',
      lr: '0.01',
      momentum: '0.9',
      batch: '64',
      augment: 'true', // the paper's recipe: Table 3 with the reference's augmentation
    });
    expect(lowloss('train', '--epochs', '0', '--out', out).stderr).toMatch(/--epochs: must be a number > 0/);
  });
});
