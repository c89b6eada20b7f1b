import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonlToSeries, seriesToCsv, seriesToJsonl } from '../../src/ui/runFiles';

const cliPoints = readFileSync(join(__dirname, '../fixtures/cli-points.jsonl'), 'utf8');

describe('run files', () => {
  it('opens a points.jsonl written by the CLI and writes the same points back', () => {
    const s = jsonlToSeries(cliPoints, 'r');
    expect(s.length).toBe(7);
    const again = jsonlToSeries(seriesToJsonl(s), 'r2');
    expect(Array.from(again.tick.view())).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const a = JSON.parse(cliPoints.split('\n')[6]);
    const b = JSON.parse(seriesToJsonl(s).split('\n')[6]);
    expect(b.tensors['fc1.weight'].distToDest).toBeCloseTo(a.tensors['fc1.weight'].distToDest, 4);
    expect(b.trainLossMovingAverage).toBeCloseTo(a.trainLossMovingAverage, 5);
    expect(b.test.accuracy).toBeCloseTo(a.test.accuracy, 5);
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
