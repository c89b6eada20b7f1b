import { describe, expect, it } from 'vitest';
import { parseFromWorker, parseToWorker } from '../../src/worker/protocol';
import { bundledModel, engineHarness } from './engineHarness';

const model = bundledModel;

const engine = () => engineHarness(2000, 1000);

describe('baseline protocol', () => {
  it('validates kind, points and trainImages', () => {
    const ok = { v: 1, type: 'baseline', runId: 'b', kind: 'line', points: 25, trainImages: 10000 };
    expect(parseToWorker(ok).type).toBe('baseline');
    expect(() => parseToWorker({ ...ok, kind: 'bezier' })).toThrow(/kind line\|aligned/);
    expect(() => parseToWorker({ ...ok, points: 1 })).toThrow(/points must be/);
    expect(() => parseToWorker({ ...ok, trainImages: 0 })).toThrow(/trainImages/);
    expect(() => parseFromWorker({ v: 1, type: 'baselineDone', kind: 'line' })).toThrow(/without runId/);
  });
});

describe('WorkerEngine baselines', () => {
  it('needs both models, then streams the straight and the aligned line with their barriers', async () => {
    const { send, of } = engine();
    await send({ type: 'init', backend: 'wasm', dataUrl: '' });
    await send({ type: 'loadData' });
    await send({ type: 'loadModel', slot: 'A', name: 'a', bytes: model('lenet5-seed1.safetensors') });
    await send({ type: 'baseline', runId: 'b0', kind: 'line', points: 5, trainImages: 1000 });
    expect(of('error').at(-1)).toMatchObject({ scope: 'path', runId: 'b0', recoverable: true });
    expect(of('error').at(-1)!.message).toMatch(/model B is missing/);
    await send({ type: 'loadModel', slot: 'B', name: 'b', bytes: model('lenet5-seed2.safetensors') });
    for (const kind of ['line', 'aligned'])
      await send({ type: 'baseline', runId: kind, kind, points: 5, trainImages: 1000 });
    const progress = of('baselineProgress').filter((p) => p.runId === 'line');
    expect(progress.map((p) => p.t)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const [line, aligned] = of('baselineDone');
    expect(line).toMatchObject({ runId: 'line', kind: 'line', trainImages: 1000 });
    expect(line.curve.t).toHaveLength(5);
    expect(line.curve.testAccuracy).toHaveLength(5);
    // Ends are the trained minima; the straight line between them crosses a barrier that alignment lowers.
    expect(line.curve.trainLoss[0]).toBeLessThan(0.1);
    expect(line.curve.barrier).toBeGreaterThan(0.3);
    expect(aligned.curve.barrier).toBeLessThan(line.curve.barrier);
    expect(aligned.curve.trainLoss[4]).toBeCloseTo(line.curve.trainLoss[4], 4); // same function as B
    expect(of('error')).toHaveLength(1);
  }, 120_000);
});
