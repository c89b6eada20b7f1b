import * as tf from '../core/tf';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { looksSoftware, type BackendProbe } from '../core/backends/select';
import { MNIST_FILES, parseMnist, type Mnist, type MnistFileKey } from '../core/data/mnist';
import type { EngineHost } from './engine';
import { fetchBytes } from './experimentFetch';
import type { FromWorker } from './protocol';

/** Probes the GPU backends honestly: a software adapter (SwiftShader) is not a fast path (README, "Benchmarks"). */
export async function probeBrowserBackends(): Promise<BackendProbe[]> {
  const probes: BackendProbe[] = [];
  probes.push(await probeWebGpu());
  probes.push(probeWebGl());
  probes.push({
    name: 'wasm',
    available: typeof WebAssembly === 'object',
    software: false,
    detail: 'WebAssembly (XNNPACK) on the CPU',
  });
  probes.push({ name: 'cpu', available: true, software: false, detail: 'plain JavaScript kernels (slow)' });
  return probes;
}

async function probeWebGpu(): Promise<BackendProbe> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return { name: 'webgpu', available: false, software: false, detail: 'navigator.gpu is missing' };
  try {
    const adapter = (await gpu.requestAdapter()) as {
      info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
      isFallbackAdapter?: boolean;
    } | null;
    if (!adapter) return { name: 'webgpu', available: false, software: false, detail: 'no WebGPU adapter' };
    const info = adapter.info ?? {};
    const desc = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unknown adapter';
    const software = info.isFallbackAdapter === true || adapter.isFallbackAdapter === true || looksSoftware(desc);
    return {
      name: 'webgpu',
      available: true,
      software,
      detail: `WebGPU: ${desc}${software ? ' (fallback/software)' : ''}`,
    };
  } catch (e) {
    return {
      name: 'webgpu',
      available: false,
      software: false,
      detail: `WebGPU adapter request failed: ${(e as Error).message}`,
    };
  }
}

function probeWebGl(): BackendProbe {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) return { name: 'webgl', available: false, software: false, detail: 'no WebGL2 context' };
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { name: 'webgl', available: true, software: looksSoftware(renderer), detail: `WebGL2: ${renderer}` };
  } catch (e) {
    return { name: 'webgl', available: false, software: false, detail: `WebGL2 failed: ${(e as Error).message}` };
  }
}

/** WASM needs its binaries' URLs; threads need cross-origin isolation (COOP/COEP). */
async function prepareBackend(name: string): Promise<{ threads: boolean }> {
  if (name !== 'wasm') return { threads: false };
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  });
  const threads = self.crossOriginIsolated === true && (navigator.hardwareConcurrency ?? 1) > 1;
  // One core stays the page's: with a pool as large as the machine, the main thread shared its core with the
  // pool during evaluations and the plane grid, and every plot draw took half as long again (issue #9's 50 ms).
  if (threads) setThreadsCount(Math.max(1, Math.min(4, navigator.hardwareConcurrency - 1)));
  else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  return { threads };
}

/** The four MNIST files; a transient network failure is tried again (experimentFetch.ts, issue #15). */
async function loadMnist(base: string): Promise<Mnist> {
  const entries = await Promise.all(
    (Object.keys(MNIST_FILES) as MnistFileKey[]).map(
      async (key) =>
        [key, await fetchBytes(base + MNIST_FILES[key], MNIST_FILES[key], 'run `npm run prepare-data`')] as const,
    ),
  );
  return parseMnist(Object.fromEntries(entries) as Record<MnistFileKey, Uint8Array>);
}

/** WebGPU reports a lost device through a promise on the device the backend holds. */
function watchBackend(name: string, onLost: (why: string) => void): void {
  if (name !== 'webgpu') return;
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ reason?: string; message?: string }> } })
    .device;
  void device?.lost?.then((info) => onLost(`${info.reason ?? 'unknown'}: ${info.message ?? ''}`.trim()));
}

export function browserHost(post: (msg: FromWorker, transfer: Transferable[]) => void): EngineHost {
  return {
    probeBackends: probeBrowserBackends,
    prepareBackend,
    watchBackend,
    loadMnist,
    post: (msg, transfer = []) => post(msg, transfer),
    crossOriginIsolated: self.crossOriginIsolated === true,
  };
}
