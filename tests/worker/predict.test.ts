import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFromWorker, parseToWorker } from '../../src/worker/protocol';
import { predictDigit } from '../../src/worker/predict';
import { centreOfMass, mnistFromDrawing } from '../../src/worker/mnistDrawing';
import { readLenet5 } from '../../src/core/io/checkpoint';
import { presetFor, validateConfig } from '../../src/core/config';
import { mnist } from '../helpers';
import { engineHarness } from './engineHarness';

const file = (n: string) => readFileSync(join(__dirname, '../../public/models', n));
const model = (n: string) => {
  const b = file(n);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
/** Test image i as grey levels in [0, 1]. */
const testImage = (i: number) =>
  Float32Array.from(mnist().test.images.subarray(i * 784, (i + 1) * 784), (v) => v / 255);
const argmax = (p: number[]) => p.indexOf(Math.max(...p));

const engine = () => engineHarness(1000, 300);

describe('predict protocol', () => {
  it('validates the image and the targets', () => {
    const ok = {
      v: 1,
      type: 'predict',
      requestId: 'q',
      image: new Float32Array(784),
      targets: ['A', 'B', 5],
      pathRunId: null,
    };
    expect(parseToWorker(ok).type).toBe('predict');
    expect(() => parseToWorker({ ...ok, image: new Float32Array(100) })).toThrow(/784/);
    expect(() => parseToWorker({ ...ok, image: new Float32Array(784).fill(2) })).toThrow(/0..1/);
    expect(() => parseToWorker({ ...ok, targets: [] })).toThrow(/targets/);
    expect(() => parseToWorker({ ...ok, targets: ['C'] })).toThrow(/targets/);
    expect(() => parseToWorker({ ...ok, requestId: 1 })).toThrow(/requestId/);
    expect(() => parseToWorker({ ...ok, pathRunId: 3 })).toThrow(/pathRunId/);
    expect(() => parseFromWorker({ v: 1, type: 'prediction', results: [] })).toThrow(/requestId/);
  });
});

describe('a drawing made into an MNIST digit', () => {
  it('fits the ink into a 20×20 box and centres its mass in the 28×28 image', () => {
    // A thick vertical stroke, off-centre, on a 280×280 canvas.
    const ink = new Float32Array(280 * 280);
    for (let y = 30; y < 230; y++) for (let x = 20; x < 44; x++) ink[y * 280 + x] = 1;
    const img = mnistFromDrawing(ink, 280, 280)!;
    const rows = Array.from({ length: 28 }, (_, y) => img.subarray(y * 28, y * 28 + 28).some((v) => v > 0.05));
    expect(rows.filter(Boolean)).toHaveLength(20);
    const [cx, cy] = centreOfMass(img);
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
    expect(mnistFromDrawing(new Float32Array(100), 10, 10)).toBeNull();
  });

  it('gives back MNIST digits drawn ten times larger: the model predicts the same digits', async () => {
    const { params } = readLenet5(new Uint8Array(file('lenet5-seed1.safetensors')));
    let same = 0;
    for (let i = 0; i < 30; i++) {
      const img = testImage(i);
      const big = new Float32Array(280 * 280);
      for (let y = 0; y < 280; y++)
        for (let x = 0; x < 280; x++) big[y * 280 + x] = img[Math.floor(y / 10) * 28 + Math.floor(x / 10)];
      const back = mnistFromDrawing(big, 280, 280)!;
      if (argmax(await predictDigit(params, back)) === mnist().test.labels[i]) same++;
    }
    expect(same).toBeGreaterThanOrEqual(28);
  });
});

describe('WorkerEngine predictions', () => {
  it('predicts with A, B and the path snapshot nearest to a tick; says what is missing', async () => {
    const { send, of } = engine();
    await send({ type: 'init', backend: 'wasm', dataUrl: '' });
    await send({ type: 'loadData' });
    await send({ type: 'loadModel', slot: 'A', name: 'a', bytes: model('lenet5-seed1.safetensors') });
    const image = testImage(0); // a 7
    await send({ type: 'predict', requestId: 'q1', image, targets: ['A', 'B', 4], pathRunId: null });
    const [a, b, tick] = of('prediction')[0].results;
    expect(a.probabilities!.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
    expect(argmax(a.probabilities!)).toBe(7);
    expect(a.probabilities![7]).toBeGreaterThan(0.9);
    expect(b).toMatchObject({ target: 'B', probabilities: null, missing: expect.stringMatching(/model B/) });
    expect(tick).toMatchObject({ target: 4, probabilities: null, missing: expect.stringMatching(/snapshots/) });

    await send({ type: 'loadModel', slot: 'B', name: 'b', bytes: model('lenet5-seed2.safetensors') });
    const config = validateConfig({
      ...presetFor('quick', 'm2m'),
      ...{ ticks: 6, roundsMin: 1, roundsMax: 1, snapshotEvery: 3, evalEvery: 3, evalSubset: 200 },
    });
    await send({ type: 'startPath', runId: 'r1', config });
    await send({ type: 'predict', requestId: 'q2', image, targets: [4, 0, 'B'], pathRunId: 'r1' });
    const [p4, p0, pb] = of('prediction')[1].results;
    expect(p4.tick).toBe(3);
    expect(p0.tick).toBe(0);
    // The snapshot at tick 0 is A itself.
    p0.probabilities!.forEach((p, i) => expect(p).toBeCloseTo(a.probabilities![i], 5));
    expect(argmax(pb.probabilities!)).toBe(7);
    // Another path's ticks are not answered with this one's snapshots.
    await send({ type: 'predict', requestId: 'q3', image, targets: [4], pathRunId: 'other' });
    expect(of('prediction')[2].results[0]).toMatchObject({
      probabilities: null,
      missing: expect.stringMatching(/last path/),
    });
    expect(of('error')).toEqual([]);
  }, 120_000);
});
