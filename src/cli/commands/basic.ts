import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as tf from '../../core/tf';
import { initLenet5, toDevice, toHost, disposeParams } from '../../core/model/lenet5';
import { createBatchSource, createEvalSet } from '../../core/data/batches';
import { REFERENCE_AUGMENT } from '../../core/data/augment';
import { trainEndpoint, PAPER_ENDPOINT_TRAINING } from '../../core/train/endpoint';
import { evaluate } from '../../core/train/evaluate';
import { readLenet5, writeLenet5 } from '../../core/io/checkpoint';
import { deriveSeed } from '../../core/random';
import { initNodeBackend, loadMnistNode } from '../nodeHost';
import { num, str } from '../args';

export function readModelFile(path: string) {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return readLenet5(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

export function writeFileEnsuringDir(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

/** `lowloss train`: endpoint training with the paper's settings (Table 3). */
export async function train(flags: Record<string, unknown>): Promise<void> {
  const seed = num(flags, 'seed', 1, { integer: true });
  const epochs = num(flags, 'epochs', PAPER_ENDPOINT_TRAINING.epochs, { min: 0 });
  const out = str(flags, 'out', `models/lenet5-seed${seed}.safetensors`);
  const batchSize = num(flags, 'batch', 64, { integer: true, min: 1 });
  const lr = num(flags, 'lr', PAPER_ENDPOINT_TRAINING.lr, { min: 0 });
  const momentum = num(flags, 'momentum', PAPER_ENDPOINT_TRAINING.momentum, { min: 0 });
  const backend = await initNodeBackend(flags.backend as string | undefined);
  console.error(`backend: ${backend.name} (${backend.reason})`);
  const mnist = loadMnistNode();
  const params = initLenet5(seed);
  const batches = createBatchSource(mnist.train, {
    batchSize,
    seed: deriveSeed(seed, 'batches'),
    augment: flags.augment ? REFERENCE_AUGMENT : null,
  });
  const test = createEvalSet(mnist.test);
  const t0 = performance.now();
  const final = await trainEndpoint(params, batches, test, { ...PAPER_ENDPOINT_TRAINING, epochs, lr, momentum }, {
    onProgress: (p) => {
      const eta = (p.totalSteps - p.step) / p.stepsPerSecond;
      const testPart = p.test ? `  test acc ${(p.test.accuracy * 100).toFixed(2)}% loss ${p.test.loss.toFixed(4)}` : '';
      console.error(`epoch ${p.epoch.toFixed(2)}  step ${p.step}/${p.totalSteps}  loss ${p.trainLoss.toFixed(4)}  ${p.stepsPerSecond.toFixed(1)} steps/s  ETA ${eta.toFixed(0)} s${testPart}`);
    },
  });
  const result = final ?? (await evaluate(params, test));
  const host = await toHost(params);
  writeFileEnsuringDir(
    out,
    writeLenet5(host, {
      seed: String(seed),
      epochs: String(epochs),
      lr: String(lr),
      momentum: String(momentum),
      batch: String(batchSize),
      augment: flags.augment ? 'rotation5+crop2' : 'none',
      testAccuracy: result.accuracy.toFixed(4),
      trainedBy: 'lowloss train',
    }),
  );
  console.error(`wrote ${out}: test accuracy ${(result.accuracy * 100).toFixed(2)}%, loss ${result.loss.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  disposeParams(params);
  batches.dispose();
  test.dispose();
}

/** `lowloss eval`: test loss and accuracy on all 10,000 test images. */
export async function evalCommand(flags: Record<string, unknown>): Promise<void> {
  const path = str(flags, 'model');
  const { params: host } = readModelFile(path);
  await initNodeBackend(flags.backend as string | undefined);
  const mnist = loadMnistNode();
  const params = toDevice(host);
  const test = createEvalSet(mnist.test);
  const r = await evaluate(params, test);
  if (flags.json) console.log(JSON.stringify({ testAccuracy: r.accuracy, testLoss: r.loss, samples: r.samples }));
  else console.log(`${path}: test accuracy ${(r.accuracy * 100).toFixed(2)}%  test loss ${r.loss.toFixed(4)}  (${r.samples} images)`);
  disposeParams(params);
  test.dispose();
}

/** `lowloss info`: backend and versions. */
export async function info(flags: Record<string, unknown>): Promise<void> {
  const backend = await initNodeBackend(flags.backend as string | undefined);
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  const lines = {
    lowloss: pkg.version,
    node: process.version,
    backend: `${backend.name} — ${backend.reason}`,
    'tfjs-core': tf.version_core,
    'wasm simd': String(tf.env().getBool('WASM_HAS_SIMD_SUPPORT')),
    'wasm threads': String(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')),
  };
  if (flags.json) console.log(JSON.stringify(lines));
  else for (const [k, v] of Object.entries(lines)) console.log(`${k.padEnd(13)} ${v}`);
}
