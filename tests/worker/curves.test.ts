import { describe, expect, it } from 'vitest';
import { parseFromWorker, parseToWorker } from '../../src/worker/protocol';
import { bundledModel, engineHarness } from './engineHarness';

const model = bundledModel;

const engine = () => engineHarness(1000, 300);

async function ready() {
  const en = engine();
  await en.send({ type: 'init', backend: 'wasm', dataUrl: '' });
  await en.send({ type: 'loadData' });
  await en.send({ type: 'loadModel', slot: 'A', name: 'a', bytes: model('lenet5-seed1.safetensors') });
  await en.send({ type: 'loadModel', slot: 'B', name: 'b', bytes: model('lenet5-seed2.safetensors') });
  return en;
}

const EVAL = { points: 3, trainImages: 300 };

describe('curve and AutoNEB protocol', () => {
  it('validates kinds, step counts, rates and seeds', () => {
    const curve = { v: 1, type: 'curve', runId: 'c', kind: 'bezier', steps: 50, lr: 0.05, seed: 1, ...EVAL };
    expect(parseToWorker(curve).type).toBe('curve');
    expect(() => parseToWorker({ ...curve, kind: 'line' })).toThrow(/bezier\|polychain/);
    expect(() => parseToWorker({ ...curve, steps: 0 })).toThrow(/steps/);
    expect(() => parseToWorker({ ...curve, lr: -1 })).toThrow(/lr/);
    expect(() => parseToWorker({ ...curve, points: 1 })).toThrow(/points must be/);
    expect(() => parseToWorker({ ...curve, runId: undefined })).toThrow(/runId/);
    const neb = { v: 1, type: 'autoneb', runId: 'n', pivots: 3, cycles: 2, stepsPerCycle: 10, lr: 0.03, seed: 1 };
    expect(parseToWorker({ ...neb, ...EVAL }).type).toBe('autoneb');
    expect(() => parseToWorker({ ...neb, ...EVAL, pivots: 0 })).toThrow(/pivots must be/);
    expect(() => parseToWorker({ ...neb, ...EVAL, cycles: 11 })).toThrow(/cycles/);
    expect(() => parseToWorker({ ...neb, trainImages: 300 })).toThrow(/points/);
    expect(() => parseFromWorker({ v: 1, type: 'trainedProgress', kind: 'bezier' })).toThrow(/without runId/);
  });
});

describe('WorkerEngine trained baselines', () => {
  it('trains a Bezier bend live, evaluates the curve, and draws it on the plane', async () => {
    const { send, of } = await ready();
    await send({ type: 'baseline', runId: 'line', kind: 'line', ...EVAL });
    await send({ type: 'curve', runId: 'bz', kind: 'bezier', steps: 30, lr: 0.05, seed: 1, ...EVAL });
    const progress = of('trainedProgress', 'bz');
    expect(progress.map((p) => p.step)).toEqual([10, 20, 30]);
    expect(progress.every((p) => p.totalSteps === 30 && Number.isFinite(p.loss) && p.pivots === null)).toBe(true);
    expect(of('baselineProgress', 'bz').map((p) => p.t)).toEqual([0, 0.5, 1]);
    const [line] = of('baselineDone', 'line');
    const [bz] = of('baselineDone', 'bz');
    expect(line).toMatchObject({ kind: 'line', sgdSteps: 0 });
    expect(bz).toMatchObject({ kind: 'bezier', sgdSteps: 30, trainImages: 300 });
    // The curve starts at A and ends at B, and is no shorter than the chord between them.
    expect(bz.curve.trainLoss[0]).toBeCloseTo(line.curve.trainLoss[0], 5);
    expect(bz.curve.trainLoss[2]).toBeCloseTo(line.curve.trainLoss[2], 5);
    expect(bz.length).toBeGreaterThanOrEqual(line.length * 0.999);
    // A trained bend lowers the middle of the path below the straight line's.
    expect(bz.curve.trainLoss[1]).toBeLessThan(line.curve.trainLoss[1]);

    await send({ type: 'plane', runId: 'p', grid: 2, margin: 0, samples: 100 });
    const [started] = of('planeStarted', 'p');
    const curve = started.geometry.curves.find((c) => c.kind === 'bezier')!;
    expect(curve.t).toHaveLength(33);
    expect(curve.x[0]).toBeCloseTo(0, 3);
    expect(curve.x[32]).toBeCloseTo(started.geometry.points.B[0], 2);
    expect(curve.distance[0]).toBeLessThan(1e-3 * started.geometry.points.B[0]);
    expect(curve.knots.x).toHaveLength(1);
    expect(of('planeDone', 'p')[0].plane.curves).toHaveLength(1);
    // New endpoints: the curve no longer joins them and is not drawn.
    await send({ type: 'loadModel', slot: 'B', name: 'b', bytes: model('lenet5-seed2.safetensors') });
    await send({ type: 'plane', runId: 'p2', grid: 2, margin: 0, samples: 100 });
    expect(of('planeStarted', 'p2')[0].geometry.curves).toEqual([]);
    expect(of('error')).toEqual([]);
  }, 180_000);

  it('relaxes an AutoNEB chain live, inserting pivots, then evaluates it', async () => {
    const { send, of } = await ready();
    const neb = { type: 'autoneb', runId: 'n', pivots: 1, cycles: 2, stepsPerCycle: 10, lr: 0.03, seed: 1 };
    await send({ ...neb, ...EVAL });
    const progress = of('trainedProgress', 'n');
    expect(progress.map((p) => p.step)).toEqual([10, 30]); // one pivot, then two
    expect(progress[0].pivots!.t).toEqual([0.5]);
    expect(progress[1].pivots!.t).toHaveLength(2);
    expect(progress[1].pivots!.loss).toHaveLength(2);
    expect(progress.every((p) => p.totalSteps === 30)).toBe(true);
    const [done] = of('baselineDone', 'n');
    expect(done).toMatchObject({ kind: 'autoneb', sgdSteps: 30 });
    expect(done.curve.t).toEqual([0, 0.5, 1]);
    expect(of('error')).toEqual([]);
  }, 180_000);

  it('stops a curve on request, says so, and frees the engine for the next job', async () => {
    const { send, of } = await ready();
    const job = send({ type: 'curve', runId: 'long', kind: 'polychain', steps: 5000, lr: 0.05, seed: 1, ...EVAL });
    await send({ type: 'curve', runId: 'busy', kind: 'bezier', steps: 10, lr: 0.05, seed: 1, ...EVAL });
    expect(of('error', 'busy')[0].message).toMatch(/busy/);
    await send({ type: 'stop' });
    await job;
    expect(of('runState', 'long')).toMatchObject([{ state: 'stopped' }]);
    expect(of('trainedProgress', 'long').length).toBeLessThan(3);
    expect(of('baselineDone', 'long')).toEqual([]);
    await send({ type: 'baseline', runId: 'after', kind: 'line', ...EVAL });
    expect(of('baselineDone', 'after')).toHaveLength(1);
  }, 180_000);
});
