import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as tf from '../../core/tf';
import { toDevice, toHost, disposeParams } from '../../core/model/lenet5';
import { createEvalSet } from '../../core/data/batches';
import { createEndpointSession } from '../../core/session/endpointSession';
import {
  endpointConfigFrom,
  endpointMetadata,
  PAPER_ENDPOINT,
  type EndpointConfig,
} from '../../core/train/endpointConfig';
import { evaluate } from '../../core/train/evaluate';
import { readLenet5, writeLenet5 } from '../../core/io/checkpoint';
import { initNodeBackend, loadMnistNode, yieldToNode } from '../../node/nodeHost';
import { str, UsageError } from '../args';

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

/** `lowloss train`: endpoint training (paper Table 3) hosted by the session driver; flags from ENDPOINT_FIELDS. */
export async function train(flags: Record<string, unknown>): Promise<void> {
  let config: EndpointConfig;
  try {
    config = endpointConfigFrom(PAPER_ENDPOINT, flags as Record<string, string | boolean | undefined>);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const out = str(flags, 'out', `models/lenet5-seed${config.seed}.safetensors`);
  const backend = await initNodeBackend(flags.backend as string | undefined);
  console.error(`backend: ${backend.name} (${backend.reason})`);
  const job = createEndpointSession({ config, mnist: loadMnistNode(), yieldToHost: yieldToNode });
  const outcome: { error: Error | null } = { error: null };
  job.session.on((e) => {
    if (e.type === 'error') outcome.error = e.error;
    if (e.type !== 'report') return;
    const p = e.report;
    const eta = (p.totalSteps - p.step) / p.stepsPerSecond;
    const testPart = p.test ? `  test acc ${(p.test.accuracy * 100).toFixed(2)}% loss ${p.test.loss.toFixed(4)}` : '';
    const rate = `${p.stepsPerSecond.toFixed(1)} steps/s  ETA ${eta.toFixed(0)} s`;
    console.error(
      `epoch ${p.epoch.toFixed(2)}  step ${p.step}/${p.totalSteps}  loss ${p.trainLoss.toFixed(4)}  ${rate}${testPart}`,
    );
  });
  const t0 = performance.now();
  try {
    await job.session.run();
    if (outcome.error) throw outcome.error;
    const result = await job.finalEvaluation();
    const metadata = {
      ...endpointMetadata(config),
      testAccuracy: result.accuracy.toFixed(4),
      trainedBy: 'lowloss train',
    };
    writeFileEnsuringDir(out, writeLenet5(await toHost(job.params), metadata));
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    const acc = (result.accuracy * 100).toFixed(2);
    console.error(`wrote ${out}: test accuracy ${acc}%, loss ${result.loss.toFixed(4)} (${secs} s)`);
  } finally {
    job.dispose();
  }
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
  else
    console.log(
      `${path}: test accuracy ${(r.accuracy * 100).toFixed(2)}%  test loss ${r.loss.toFixed(4)}  (${r.samples} images)`,
    );
  disposeParams(params);
  test.dispose();
}

/** `lowloss info`: backend and versions. */
export async function info(flags: Record<string, unknown>): Promise<void> {
  const backend = await initNodeBackend(flags.backend as string | undefined);
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
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
