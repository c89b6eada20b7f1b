import { describe, expect, it } from 'vitest';
import { parseFromWorker, parseToWorker } from '../../src/worker/protocol';
import { presetFor, validateConfig } from '../../src/core/config';
import { bundledModel, engineHarness } from './engineHarness';

const model = bundledModel;

const engine = () => engineHarness(1000, 500);

describe('plane protocol', () => {
  it('validates runId, grid, margin and samples', () => {
    const ok = { v: 1, type: 'plane', runId: 'p', grid: 15, margin: 0.2, samples: 2000 };
    expect(parseToWorker(ok).type).toBe('plane');
    expect(() => parseToWorker({ ...ok, runId: 3 })).toThrow(/runId/);
    expect(() => parseToWorker({ ...ok, grid: 1 })).toThrow(/grid/);
    expect(() => parseToWorker({ ...ok, margin: -1 })).toThrow(/margin/);
    expect(() => parseToWorker({ ...ok, samples: 0 })).toThrow(/samples/);
    expect(() => parseFromWorker({ v: 1, type: 'planeDone', plane: {} })).toThrow(/without runId/);
  });
});

describe('WorkerEngine landscape plane', () => {
  it('uses the aligned B without a path, then the path’s middle snapshot, and projects the path', async () => {
    const { send, of } = engine();
    await send({ type: 'init', backend: 'wasm', dataUrl: '' });
    await send({ type: 'loadData' });
    await send({ type: 'loadModel', slot: 'A', name: 'a', bytes: model('lenet5-seed1.safetensors') });
    await send({ type: 'plane', runId: 'p0', grid: 3, margin: 0, samples: 200 });
    expect(of('error').at(-1)).toMatchObject({ scope: 'path', runId: 'p0', recoverable: true });
    await send({ type: 'loadModel', slot: 'B', name: 'b', bytes: model('lenet5-seed2.safetensors') });
    await send({ type: 'plane', runId: 'p1', grid: 3, margin: 0, samples: 200 });
    const rows = of('planeProgress').filter((p) => p.runId === 'p1');
    expect(rows.map((r) => r.iy)).toEqual([0, 1, 2]);
    const p1 = of('planeDone')[0];
    // The axes, A, B, C and the projections come first, so the panel draws them while rows fill in.
    const started = of('planeStarted').filter((p) => p.runId === 'p1');
    expect(started).toHaveLength(1);
    expect(started[0].geometry.x).toEqual(p1.plane.x);
    expect(started[0].geometry.points).toEqual(p1.plane.points);
    expect(p1.plane.path.length).toBe(0);
    expect(p1.plane.third).toEqual({ kind: 'alignedB', tick: null });
    expect(p1.plane.path.tick).toEqual([]);
    expect(p1.plane.trainLoss.map((r) => r.length)).toEqual([3, 3, 3]);
    const { x, trainLoss, points } = p1.plane;
    expect(points.A).toEqual([0, 0]);
    expect(points.B[0]).toBeCloseTo(x[2], 3);
    // Independent check: the grid's bottom row is the straight line A → B on the same images.
    await send({ type: 'baseline', runId: 'line', kind: 'line', points: 3, trainImages: 200 });
    const line = of('baselineDone')[0].curve.trainLoss;
    trainLoss[0].forEach((l, i) => expect(l).toBeCloseTo(line[i], 4));
    expect(trainLoss[0][1]).toBeGreaterThan(trainLoss[0][0] + 0.3); // the barrier

    const config = validateConfig({
      ...presetFor('quick', 'm2m'),
      ...{ ticks: 6, roundsMin: 1, roundsMax: 1, snapshotEvery: 3, evalEvery: 3, evalSubset: 200 },
    });
    await send({ type: 'startPath', runId: 'r1', config });
    await send({ type: 'plane', runId: 'p2', grid: 3, margin: 0.2, samples: 200 });
    const p2 = of('planeDone')[1].plane;
    expect(p2.third).toEqual({ kind: 'pathMiddle', tick: 3 });
    expect(p2.path).toMatchObject({ runId: 'r1', tick: [0, 3, 6] });
    // A lies on the plane at the origin, C at its own coordinates; the snapshots are P at those ticks.
    expect(p2.path.distance[0]).toBeLessThan(1e-3 * p2.points.B[0]);
    expect(p2.path.distance[1]).toBeLessThan(1e-3 * p2.points.B[0]);
    expect(p2.path.x[1]).toBeCloseTo(p2.points.C[0], 2);
    expect(p2.path.y[1]).toBeCloseTo(p2.points.C[1], 2);
    expect(p2.x[0]).toBeCloseTo(-0.2 * p2.points.B[0], 3);
    // The polyline through the snapshots is at least as long as the way from A to the last one.
    const last = Math.hypot(p2.path.x[2], p2.path.y[2], p2.path.distance[2]);
    expect(p2.path.length).toBeGreaterThanOrEqual(last * 0.999);
    expect(of('error')).toHaveLength(1);

    // Stop between rows: the plane says it stopped and sends no result.
    const job = send({ type: 'plane', runId: 'p3', grid: 31, margin: 0.2, samples: 200 });
    await send({ type: 'stop' });
    await job;
    expect(of('runState').filter((e) => e.runId === 'p3')).toMatchObject([{ state: 'stopped' }]);
    expect(of('planeProgress').filter((e) => e.runId === 'p3').length).toBeLessThan(31);
    expect(of('planeDone').filter((e) => e.runId === 'p3')).toEqual([]);
  }, 120_000);
});
