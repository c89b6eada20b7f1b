import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '../../../src/core/tf';
import { readLenet5 } from '../../../src/core/io/checkpoint';
import { forward, toDevice, disposeParams, type HostParams } from '../../../src/core/model/lenet5';
import { createEvalSet } from '../../../src/core/data/batches';
import { IMAGE_PIXELS, MNIST_MEAN, MNIST_STD, takeSplit, type MnistSplit } from '../../../src/core/data/mnist';
import type { BaselineSets } from '../../../src/core/baselines/pathEval';
import { mnist } from '../../helpers';

/** Shared helpers of the baseline tests (issue #13). */
export const root = join(__dirname, '../../..');
export const fixturePath = (name: string) => join(root, 'tests/fixtures', name);
export const loadModel = (path: string): HostParams => readLenet5(new Uint8Array(readFileSync(path))).params;
export const modelA = () => loadModel(fixturePath('lenet5-1epoch-seed1.safetensors'));
export const modelB = () => loadModel(fixturePath('lenet5-1epoch-seed2.safetensors'));

/** Small train/test sets for CI. */
export function smallSets(train = 300, test = 200): BaselineSets {
  const tr = createEvalSet(takeSplit(mnist().train, train));
  const te = createEvalSet(takeSplit(mnist().test, test));
  return { train: tr, test: te, dispose: () => [tr, te].forEach((s) => s.dispose()) };
}

/** Per-tensor Σ cᵢ·modelᵢ straight from the host maps (no flat vectors: an independent path). */
export function mix(terms: [number, HostParams][]): HostParams {
  const out: HostParams = new Map();
  for (const [name, v] of terms[0][1]) {
    const r = new Float32Array(v.length);
    for (const [c, m] of terms) {
      const w = m.get(name)!;
      for (let i = 0; i < r.length; i++) r[i] += c * w[i];
    }
    out.set(name, r);
  }
  return out;
}

/** Logits of a model on the first n images of a split, read back. */
export function logitsOf(model: HostParams, split: MnistSplit, n: number): Float32Array {
  const params = toDevice(model);
  const sub = takeSplit(split, n);
  const x = Float32Array.from(sub.images.subarray(0, n * IMAGE_PIXELS), (p) => (p / 255 - MNIST_MEAN) / MNIST_STD);
  const out = tf.tidy(() => forward(params, tf.tensor4d(x, [n, 28, 28, 1])).dataSync() as Float32Array);
  disposeParams(params);
  return out;
}

/** Mean cross-entropy and accuracy computed on the host from logits (independent of evaluate()). */
export function hostLoss(model: HostParams, split: MnistSplit, n: number): { loss: number; accuracy: number } {
  const logits = logitsOf(model, split, n);
  let loss = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const row = logits.subarray(i * 10, i * 10 + 10);
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    loss += lse - row[split.labels[i]];
    if (row.indexOf(max) === split.labels[i]) hits++;
  }
  return { loss: loss / n, accuracy: hits / n };
}
