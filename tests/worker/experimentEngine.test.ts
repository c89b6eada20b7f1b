import { describe, expect, it } from 'vitest';
import { presetFor } from '../../src/core/config';
import { takeSplit } from '../../src/core/data/mnist';
import { pairSpecs, type ExperimentPlan } from '../../src/core/experiments/experiment';
import { readPairRecord } from '../../src/core/experiments/pairRun';
import { memoryStore, readText } from '../../src/core/experiments/store';
import { movingAverage, seriesOf, type ExperimentSummary } from '../../src/core/experiments/summary';
import { singularValues, numericalRank } from '../../src/core/experiments/rank';
import type { JointPca } from '../../src/core/experiments/jointPca';
import { pointsFromJsonl } from '../../src/core/llpf/pathPoint';
import { parseSafetensors, asFloat32 } from '../../src/core/io/safetensors';
import { ExperimentEngine, type ExperimentHost } from '../../src/worker/experimentEngine';
import { parseFromExperimentWorker, type FromExperimentWorker } from '../../src/worker/experimentProtocol';
import { asDimensionalityFile } from '../../src/worker/experimentResults';
import { mnist } from '../helpers';

/** The experiment worker's handler, driven without a worker on tiny settings (STYLE.md). */
function engine() {
  const events: FromExperimentWorker[] = [];
  const files = memoryStore();
  const host: ExperimentHost = {
    probeBackends: async () => [{ name: 'wasm', available: true, software: false, detail: 'test' }],
    loadMnist: async () => ({ train: takeSplit(mnist().train, 2000), test: takeSplit(mnist().test, 300) }),
    post: (msg) => events.push(parseFromExperimentWorker(msg)), // every event must pass the app's validation
    storeFor: () => files,
    yieldToHost: () => new Promise((r) => setImmediate(r)),
  };
  const e = new ExperimentEngine(host);
  const send = (msg: object) => e.handle({ v: 1, ...msg });
  const of = <T extends FromExperimentWorker['type']>(t: T) =>
    events.filter((x): x is Extract<FromExperimentWorker, { type: T }> => x.type === t);
  return { e, events, files, send, of };
}

/** Two M2M pairs of endpoints trained for 10 SGD steps, 4 ticks each, a snapshot every tick. */
const plan: ExperimentPlan = {
  mode: 'm2m',
  pairs: 2,
  epochs: 10 / Math.floor(2000 / 64), // 10 of the 31 batches of the 2,000-image subset
  seedBase: 40,
  config: {
    ...presetFor('quick', 'm2m'),
    ticks: 4,
    roundsMin: 2,
    roundsMax: 3,
    evalEvery: 2,
    evalSubset: 300,
    snapshotEvery: 1,
    trainEvalSamples: 0,
  },
};

describe('experiment protocol', () => {
  it('rejects wrong versions, unknown types, bad payloads and scoped events without runId', async () => {
    const { send, of } = engine();
    await send({ v: 2, type: 'pause' });
    await send({ type: 'explode' });
    await send({ type: 'runPair', runId: 'r', experimentId: 'x', pair: { index: 0 }, epochs: 1 });
    await send({ type: 'dimensionality', runId: 'r', experimentId: 'x', start: { name: 'a', bytes: 1 }, paths: 3 });
    expect(of('error').map((e) => e.message)).toEqual([
      expect.stringMatching(/version 2/),
      expect.stringMatching(/unknown experiment message type/),
      expect.stringMatching(/index ≥ 1/),
      expect.stringMatching(/start \{ name, bytes \}/),
    ]);
    expect(() => parseFromExperimentWorker({ v: 1, type: 'pairTick', pair: 1, tick: 1, total: 2 })).toThrow(/runId/);
    expect(() => parseFromExperimentWorker({ v: 1, type: 'pairDone', runId: 'r', pair: 1 })).toThrow(/record/);
  });
});

describe('ExperimentEngine', () => {
  it('runs pairs, stops and continues one, and writes a summary and a joint PCA equal to direct computations', async () => {
    const { send, of, files, events } = engine();
    const [p1, p2] = pairSpecs(plan);
    await send({ type: 'init', backend: 'wasm', dataUrl: '' });
    await send({ type: 'runPair', runId: 'run1', experimentId: 'x', pair: p1, epochs: plan.epochs });
    expect(of('ready')[0].backend).toBe('wasm');
    expect(of('dataLoaded')[0].hostBytes).toBe(2300 * 785);
    expect(of('pairDone').map((d) => [d.pair, d.record.status, d.record.ticksDone])).toEqual([[1, 'done', 4]]);
    expect(of('pairTick').map((t) => t.tick)).toEqual([0, 1, 2, 3, 4]); // tick 0: the start model
    expect(of('pairTick')[0].tensorBytes).toBeGreaterThan(0);
    expect(of('pairMessage').some((m) => /training endpoint seed 41/.test(m.message))).toBe(true);

    // Stop pair 2 at its first tick (after the endpoints): it ends "stopped", and the next run restarts it.
    const stopAtFirstTick = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (events.some((x) => x.type === 'pairTick' && x.pair === 2)) {
          clearInterval(check);
          void send({ type: 'stop' });
          resolve();
        }
      }, 1);
    });
    const run2 = send({ type: 'runPair', runId: 'run1', experimentId: 'x', pair: p2, epochs: plan.epochs });
    await stopAtFirstTick;
    await run2;
    const stopped = of('pairDone').find((d) => d.pair === 2)!;
    expect(stopped.record.status).toBe('stopped');
    expect(stopped.record.ticksDone).toBeLessThan(4);
    await send({ type: 'runPair', runId: 'run2', experimentId: 'x', pair: p2, epochs: plan.epochs });
    expect((await readPairRecord(files, 2))?.status).toBe('done');
    expect(of('pairMessage').filter((m) => /training endpoint seed 43/.test(m.message))).toHaveLength(1); // cached

    await send({ type: 'analyse', runId: 'run2', experimentId: 'x', pca: true });
    expect(of('analysed')[0]).toMatchObject({ pairs: [1, 2], pca: true });
    const summary = JSON.parse((await readText(files, 'summary.json'))!) as ExperimentSummary;
    const points = [1, 2].map((k) =>
      pointsFromJsonl(new TextDecoder().decode(files.files.get(`pair-${k}/points.jsonl`))),
    );
    expect(points.map((p) => p.length)).toEqual([5, 5]); // the restarted pair's old points are gone
    const loss = seriesOf(summary, 'trainLossMovingAverage');
    expect(summary.tick).toEqual([0, 1, 2, 3, 4]);
    expect(loss.mean[0]).toBeNull(); // no SGD step at tick 0
    points[0].forEach((p, i) => {
      if (i === 0) return;
      const a = p.trainLossMovingAverage!;
      const b = points[1][i].trainLossMovingAverage!;
      expect(loss.mean[i]).toBeCloseTo((a + b) / 2, 10);
      expect(loss.std[i]).toBeCloseTo(Math.abs(a - b) / 2, 10);
    });
    expect(movingAverage(loss.mean, 10)[4]).toBeCloseTo(loss.mean.slice(1).reduce((s, v) => s! + v!, 0)! / 4, 10);

    const pca = JSON.parse((await readText(files, 'pca.json'))!) as JointPca;
    expect(pca.runs).toEqual(['pair-1', 'pair-2']);
    const bias = pca.tensors['fc3.bias'];
    expect(bias.points).toBe(10); // ticks 0…4 of two pairs
    // Direct: centre the 10 rows of both pairs together; the projections' squared norms sum to the variance captured.
    const rows = [1, 2].flatMap((k) =>
      [0, 1, 2, 3, 4].map((t) => {
        const f = files.files.get(`pair-${k}/snapshots/tick-${String(t).padStart(6, '0')}.safetensors`)!;
        return asFloat32(parseSafetensors(f).tensors.get('fc3.bias')!);
      }),
    );
    const mean = rows[0].map((_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
    const total = rows.reduce((s, r) => s + r.reduce((q, x, j) => q + (x - mean[j]) ** 2, 0), 0);
    const coords = bias.runs.flatMap((r) => r.coords);
    const pc1 = coords.reduce((s, c) => s + c[0] ** 2, 0);
    expect(pc1 / total).toBeCloseTo(bias.explained[0], 6);
  });

  it('measures §5.3 dimensionality: K excursions, ranks equal to a direct SVD of the saved displacements', async () => {
    const { send, of, files } = engine();
    await send({ type: 'init', backend: 'wasm', dataUrl: '' });
    const start = new Uint8Array(
      (await import('node:fs')).readFileSync('tests/fixtures/lenet5-1epoch-seed1.safetensors'),
    );
    const config = { rounds: 2, lr: 0.01, momentum: 0.9, batch: 100, step: 0.001, augment: false, seed: 0 };
    await send({
      type: 'dimensionality',
      runId: 'd1',
      experimentId: 'x',
      start: { name: 'seed1', bytes: start.buffer.slice(start.byteOffset, start.byteOffset + start.byteLength) },
      paths: 3,
      destinations: { kind: 'seeds', seedBase: 70, epochs: 3 / 31 },
      config,
    });
    expect(of('error')).toEqual([]);
    expect(of('dimProgress').map((p) => p.k)).toEqual([0, 0, 0, 0, 0, 1, 2, 3]);
    expect(of('dimDone')).toHaveLength(1);
    const file = asDimensionalityFile(JSON.parse((await readText(files, 'dimensionality/dimensionality.json'))!));
    expect(file.thresholds).toHaveLength(1000);
    expect(file.note).toMatch(/seeds 71…73/);
    const saved = parseSafetensors(files.files.get('dimensionality/displacements.safetensors')!);
    for (const [name, t] of Object.entries(file.tensors)) {
      const m = saved.tensors.get(name)!;
      const flat = asFloat32(m);
      const d = m.shape[1];
      const rows = [0, 1, 2].map((k) => flat.subarray(k * d, (k + 1) * d));
      const sv = singularValues(rows).subarray(0, Math.min(3, d));
      expect(t.rank).toBe(numericalRank(sv, 3, d).rank);
      expect(t.fullRank).toBe(Math.min(3, d));
      expect(t.singularValues[0]).toBeCloseTo(sv[0], 6);
    }
    const csv = new TextDecoder().decode(files.files.get('dimensionality/threshold_dimension.csv'));
    expect(csv.split('\n')[0]).toBe(',threshold,' + Object.keys(file.tensors).join(','));
  });
});
