import * as tf from '../tf';
import { initLenet5, toHost, disposeParams } from '../model/lenet5';
import { createBatchSource, createEvalSet } from '../data/batches';
import { REFERENCE_AUGMENT } from '../data/augment';
import type { Mnist } from '../data/mnist';
import { writeLenet5 } from '../io/checkpoint';
import { endpointBatchSeed } from '../train/endpointConfig';
import { downloadBinary, initBinaryHost, uploadBinary } from '../binary/model';
import { DEFAULT_BINARY_TRAINING, evaluateBinary, trainBinary } from '../binary/train';
import { writeBinaryLenet5 } from '../binary/io';
import { hostErrorRate } from './errors';
import { trainModel } from './trainModel';
import type { OptimizerSpec } from './optimizers';

/**
 * A whole training run, host-independent: data → model → safetensors bytes. Used by
 * `lowloss train --optimizer adam` / `--binary` and available to the worker (issue #14).
 */
export interface TrainRunOptions {
  /** Seed of the init and of the mini-batch order (the same derivation as endpoint training). */
  seed: number;
  epochs: number;
  batch: number;
  /** Real LeNet5 with this optimiser, or binary LeNet5 (BinaryNet, Adam from `lr`, decaying). */
  model: { kind: 'real'; optimizer: OptimizerSpec } | { kind: 'binary'; lr: number };
  /** Augmented training images (SPEC §2). */
  augment: boolean;
}

export interface TrainRunResult {
  /** The safetensors file (binary files marked `binary: "true"`). */
  file: Uint8Array;
  /** Accuracy on all 10,000 test images, 0..1. */
  testAccuracy: number;
}

export async function runTraining(
  mnist: Mnist,
  o: TrainRunOptions,
  log: (line: string) => void,
): Promise<TrainRunResult> {
  const batches = createBatchSource(mnist.train, {
    batchSize: o.batch,
    seed: endpointBatchSeed(o.seed),
    augment: o.augment ? REFERENCE_AUGMENT : null,
  });
  const test = createEvalSet(mnist.test);
  const meta = { seed: String(o.seed), epochs: String(o.epochs), batch: String(o.batch), augment: String(o.augment) };
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  try {
    if (o.model.kind === 'binary') {
      const m = uploadBinary(initBinaryHost(o.seed), true);
      try {
        const lr = o.model.lr;
        const cfg = {
          ...DEFAULT_BINARY_TRAINING,
          epochs: o.epochs,
          lr,
          lrEnd: Math.min(lr, DEFAULT_BINARY_TRAINING.lrEnd),
        };
        await trainBinary(m, batches, test, cfg, {
          onProgress: (p) => {
            const t = p.test ? `  test ${pct(p.test.accuracy)}` : '';
            log(`binary epoch ${p.epoch.toFixed(2)}  loss ${p.trainLoss.toFixed(4)}${t}`);
          },
        });
        const r = await evaluateBinary(m, test);
        const extra = { optimizer: 'adam', lr: String(lr), testAccuracy: r.accuracy.toFixed(4) };
        return { file: writeBinaryLenet5(await downloadBinary(m), { ...meta, ...extra }), testAccuracy: r.accuracy };
      } finally {
        tf.dispose([...m.values()]);
      }
    }
    const params = initLenet5(o.seed);
    const optimizer = o.model.optimizer;
    try {
      await trainModel(
        params,
        batches,
        { optimizer, epochs: o.epochs, reportEvery: 100 },
        {
          onProgress: (p) =>
            log(`epoch ${p.epoch.toFixed(2)}  step ${p.step}/${p.totalSteps}  loss ${p.trainLoss.toFixed(4)}`),
        },
      );
      const host = await toHost(params);
      const acc = 1 - (await hostErrorRate(host, test));
      const extra = { optimizer: optimizer.kind, lr: String(optimizer.lr), testAccuracy: acc.toFixed(4) };
      return { file: writeLenet5(host, { ...meta, ...extra, trainedBy: 'lowloss train' }), testAccuracy: acc };
    } finally {
      disposeParams(params);
    }
  } finally {
    batches.dispose();
    test.dispose();
  }
}
