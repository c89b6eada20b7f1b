import * as tf from '../core/tf';
import { createBatchSource } from '../core/data/batches';
import { endpointBatchSeed } from '../core/train/endpointConfig';
import { downloadBinary, initBinaryHost, uploadBinary, type BinaryHost } from '../core/binary/model';
import { DEFAULT_BINARY_TRAINING, evaluateBinary, trainBinary } from '../core/binary/train';
import { readBinaryLenet5, writeBinaryLenet5 } from '../core/binary/io';
import { alignBinary } from '../core/binary/align';
import { binaryError, binaryFunctionDistance, binaryPathPoint, hammingDistance } from '../core/binary/distance';
import { barrierOf, evenT } from '../core/geometry/landscape';
import { ownBuffer, type JobContext } from './geometryContext';
import type { GeometryJob, ModelFile } from './geometryProtocol';

/**
 * Binary LeNet5 in the geometry worker (Pittorino et al. 2022, §6; BinaryNet, Hubara et al. 2016;
 * SPEC §7): training with progress, and a pair's Hamming distances, function distance and the 0-1
 * error along the flip path from A to B aligned to A.
 */
type Job<T extends GeometryJob['type']> = Extract<GeometryJob, { type: T }>;

/**
 * Trains binary LeNet5 (DEFAULT_BINARY_TRAINING: Adam 0.01 decaying to 5e-4, batch 64, unaugmented).
 * trainBinary has no yield point, so a cancel during it is handled by the bridge (worker restart).
 */
export async function binaryTrainJob(ctx: JobContext, msg: Job<'binaryTrain'>): Promise<void> {
  const { runId } = ctx;
  const member = `binary seed ${msg.seed}`;
  const batches = createBatchSource(ctx.mnist.train, { batchSize: 64, seed: endpointBatchSeed(msg.seed) });
  const test = ctx.test(10000);
  const m = uploadBinary(initBinaryHost(msg.seed), true);
  try {
    const config = { ...DEFAULT_BINARY_TRAINING, epochs: msg.epochs };
    await trainBinary(m, batches, test, config, {
      onProgress: (p) => {
        const testAccuracy = p.test?.accuracy ?? null;
        const { step, totalSteps, trainLoss } = p;
        ctx.post({ v: 1, type: 'trainProgress', runId, member, step, totalSteps, trainLoss, testAccuracy });
        ctx.progress(step, totalSteps, `${member}: epoch ${p.epoch.toFixed(2)}`);
      },
    });
    const { accuracy } = await evaluateBinary(m, test);
    const meta = { seed: String(msg.seed), epochs: String(msg.epochs), testAccuracy: accuracy.toFixed(4) };
    const bytes = ownBuffer(writeBinaryLenet5(await downloadBinary(m), meta));
    const name = `${member} (${+msg.epochs.toPrecision(3)} epoch${msg.epochs === 1 ? '' : 's'})`;
    ctx.post({ v: 1, type: 'binaryDone', runId, name, bytes, testAccuracy: accuracy }, [bytes]);
  } finally {
    tf.dispose([...m.values()]);
    batches.dispose();
  }
}

function readBinary(f: ModelFile): BinaryHost {
  try {
    return readBinaryLenet5(new Uint8Array(f.bytes)).params;
  } catch (e) {
    throw new Error(`${f.name}: ${(e as Error).message}`);
  }
}

/** Hamming distance (raw and aligned), function distance, test errors, and the error along the flip path. */
export async function binaryCompareJob(ctx: JobContext, msg: Job<'binaryCompare'>): Promise<void> {
  const [a, b] = [readBinary(msg.a), readBinary(msg.b)];
  const sets = { train: ctx.train(msg.trainImages), test: ctx.test(msg.testImages) };
  const total = msg.points + 1;
  ctx.progress(0, total, 'Hamming distances and alignment');
  const raw = hammingDistance(a, b);
  const aligned = alignBinary(a, b).aligned;
  const hAligned = hammingDistance(a, aligned);
  const functionDistance = await binaryFunctionDistance(a, b, sets.test);
  const [testErrorA, testErrorB] = [await binaryError(a, sets.test), await binaryError(b, sets.test)];
  await ctx.checkpoint();
  const t = evenT(msg.points);
  const trainError: number[] = [];
  const testError: number[] = [];
  for (let i = 0; i < t.length; i++) {
    const point = binaryPathPoint(a, aligned, t[i]);
    trainError.push(await binaryError(point, sets.train));
    testError.push(await binaryError(point, sets.test));
    const [tr, te] = [trainError[i], testError[i]];
    ctx.post({
      v: 1,
      type: 'profilePoint',
      runId: ctx.runId,
      path: 'binary',
      i,
      t: t[i],
      trainError: tr,
      testError: te,
    });
    ctx.progress(i + 1, total, `flip path: t = ${t[i].toFixed(2)}`);
    await ctx.checkpoint();
  }
  const profile = { t, trainError, testError, barrier: barrierOf(t, trainError), testBarrier: barrierOf(t, testError) };
  const result = {
    hamming: raw.count,
    hammingAligned: hAligned.count,
    hammingFraction: raw.fraction,
    hammingAlignedFraction: hAligned.fraction,
    perLayer: raw.perLayer,
    functionDistance,
    testErrorA,
    testErrorB,
    profile,
  };
  ctx.post({ v: 1, type: 'binaryCompareDone', runId: ctx.runId, result });
}
