import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonlToSeries, seriesToCsv, seriesToJsonl } from '../../src/ui/runFiles';
import { PathSeries } from '../../src/ui/pathSeries';
import { toColumns } from '../../src/worker/pointBatch';
import { LENET5, LENET5_GROUPS } from '../../src/core/model/spec';

const cliPoints = readFileSync(join(__dirname, '../fixtures/cli-points.jsonl'), 'utf8');

describe('run files', () => {
  it('exports exactly the CLI’s points.jsonl format: a CLI file opened and exported is the same file', () => {
    const s = jsonlToSeries(cliPoints, 'r');
    expect(s.length).toBe(7);
    expect(seriesToJsonl(s)).toBe(cliPoints.endsWith('\n') ? cliPoints : cliPoints + '\n');
  });

  it('exports the test set size and subset of every evaluation of a streamed run (full and first-N)', () => {
    const points = cliPoints
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    points[3].test = { loss: 0.2, accuracy: 0.95, samples: 1000, subset: 'first-1000' };
    const tensors = LENET5.map((p) => p.name);
    const series = new PathSeries('r', tensors, [...LENET5_GROUPS]);
    // The worker's columns (as streamed to the app); they carry the sample count, not the label.
    series.append(toColumns(points, tensors, [...LENET5_GROUPS]));
    const out = seriesToJsonl(series)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out[0].test).toMatchObject({ samples: 10000, subset: 'full' });
    expect(out[3].test).toMatchObject({ samples: 1000, subset: 'first-1000' });
    expect(out[1].test).toBeNull();
    expect(Object.keys(out[0])).toEqual(Object.keys(points[0]));
    expect(Object.keys(out[0].test)).toEqual(['loss', 'accuracy', 'samples', 'subset']);
  });

  it('exports CSV with one column per metric and layer', () => {
    const csv = seriesToCsv(jsonlToSeries(cliPoints, 'r')).trim().split('\n');
    const head = csv[0].split(',');
    expect(head).toContain('distToDest:fc1.weight');
    expect(head).toContain('stepLength:conv1');
    expect(head.length).toBe(7 + 4 * 10 + 5);
    expect(csv).toHaveLength(8);
    expect(csv[1].split(',')[3]).toBe(''); // no training at tick 0
  });

  it('names the bad line of a broken file', () => {
    expect(() => jsonlToSeries(cliPoints + '{oops\n', 'r')).toThrow(/line 8 is not JSON/);
    expect(() => jsonlToSeries('{"tick":1}\n', 'r')).toThrow(/line 1 is not a LeNet5 path point/);
  });
});
