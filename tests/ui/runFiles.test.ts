import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonlToSeries, seriesToCsv, seriesToJsonl } from '../../src/ui/runFiles';
import { PathSeries } from '../../src/ui/pathSeries';
import { csvHeader, packPoints, pointsFromJsonl, pointsToJsonl } from '../../src/core/llpf/pathPoint';
import { LENET5, LENET5_GROUPS } from '../../src/core/model/spec';

const cliPoints = readFileSync(join(__dirname, '../fixtures/cli-points.jsonl'), 'utf8');

describe('run files', () => {
  it('exports exactly the CLI’s points.jsonl format: a CLI file opened and exported is the same file', () => {
    const s = jsonlToSeries(cliPoints, 'r');
    expect(s.length).toBe(7);
    expect(seriesToJsonl(s)).toBe(cliPoints.endsWith('\n') ? cliPoints : cliPoints + '\n');
  });

  it('a streamed run exports what the CLI writes for the same points: subsets, train-subset loss, all fields', () => {
    const points = pointsFromJsonl(cliPoints);
    points[2].test = { loss: 0.2, accuracy: 0.95, samples: 1000, subset: 'first-1000' };
    expect(points[3].test?.subset).toBe('random-1000');
    expect(points[3].trainEval).toMatchObject({ samples: 2000 });
    const tensors = LENET5.map((p) => p.name);
    const series = new PathSeries('r', tensors, [...LENET5_GROUPS]);
    // The worker's columns, as streamed to the app.
    series.append(packPoints(points, tensors, [...LENET5_GROUPS]));
    expect(seriesToJsonl(series)).toBe(pointsToJsonl(points));
    const out = seriesToJsonl(series)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out[0].test).toMatchObject({ samples: 10000, subset: 'full' });
    expect(out[2].test).toMatchObject({ samples: 1000, subset: 'first-1000' });
    expect(out[3].test).toMatchObject({ samples: 1000, subset: 'random-1000' });
    expect(out[1].test).toBeNull();
    expect(out[1].trainEval).toBeNull();
    expect(Object.keys(out[0].trainEval)).toEqual(['loss', 'accuracy', 'samples']);
  });

  it('exports CSV with one column per metric and layer', () => {
    const csv = seriesToCsv(jsonlToSeries(cliPoints, 'r')).trim().split('\n');
    const head = csv[0].split(',');
    expect(head).toContain('distToDest:fc1.weight');
    expect(head).toContain('stepLength:conv1');
    expect(csv[0]).toBe(csvHeader());
    expect(head).toContain('train_eval_loss');
    expect(head.length).toBe(14 + 5 * 10 + 5);
    expect(csv).toHaveLength(8);
    expect(csv[1].split(',')[3]).toBe(''); // no training at tick 0
  });

  it('names the bad line of a broken file', () => {
    expect(() => jsonlToSeries(cliPoints + '{oops\n', 'r')).toThrow(/line 8 is not JSON/);
    expect(() => jsonlToSeries('{"tick":1}\n', 'r')).toThrow(/line 1 is not a LeNet5 path point/);
  });
});
