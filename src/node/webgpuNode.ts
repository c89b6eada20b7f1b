import { existsSync, readdirSync } from 'node:fs';
import * as tf from '../core/tf';

/**
 * WebGPU in Node for the tests and the bench (issue #10): the `webgpu` npm package (Dawn, its binary
 * inside the package) on whatever Vulkan driver exists, else SwiftShader's, which Debian's chromium
 * ships (/usr/lib/chromium, with its own libvulkan.so.1: no system Vulkan loader is needed).
 * Registers TF.js's webgpu backend on that adapter. Resolves to what was found, or why not.
 */
export type NodeWebGpu = { ok: true; adapter: string; software: boolean } | { ok: false; why: string };

const CHROMIUM_DIR = '/usr/lib/chromium';
const SWIFTSHADER_ICD = `${CHROMIUM_DIR}/vk_swiftshader_icd.json`;
/** glibc's RTLD_NOW | RTLD_GLOBAL | RTLD_NODELETE (Node's os.constants lacks NODELETE). */
const DLOPEN_KEEP = 0x2 | 0x100 | 0x1000;

interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: object;
}
interface AdapterLike {
  info: { vendor: string; architecture: string; description: string };
  limits: Record<string, number>;
  requestDevice(descriptor: { requiredLimits: Record<string, number> }): Promise<unknown>;
}
interface GpuLike {
  requestAdapter(): Promise<AdapterLike | null>;
}

let found: Promise<NodeWebGpu> | null = null;

/** Sets WebGPU up once per process (later calls return the first answer). */
export function initNodeWebGpu(): Promise<NodeWebGpu> {
  found ??= setUp();
  return found;
}

function hasSystemIcd(): boolean {
  for (const dir of ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'])
    if (existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.json'))) return true;
  return false;
}

function hasSystemVulkanLoader(): boolean {
  const dirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib'];
  return dirs.some((d) => existsSync(`${d}/libvulkan.so.1`));
}

async function setUp(): Promise<NodeWebGpu> {
  let dawn: DawnModule;
  try {
    const name = 'webgpu';
    dawn = (await import(/* @vite-ignore */ name)) as DawnModule;
  } catch (e) {
    return { ok: false, why: `the npm package webgpu (Dawn) did not load: ${(e as Error).message}` };
  }
  // The Vulkan loader reads VK_ICD_FILENAMES when Dawn creates its instance, so setting it here works.
  if (!process.env.VK_ICD_FILENAMES && !hasSystemIcd() && existsSync(SWIFTSHADER_ICD))
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  // No system libvulkan.so.1: load chromium's by path and keep it loaded (it is no Node addon, so
  // process.dlopen throws after loading it); Dawn's dlopen("libvulkan.so.1") then finds it by soname.
  if (!hasSystemVulkanLoader() && existsSync(`${CHROMIUM_DIR}/libvulkan.so.1`)) {
    try {
      process.dlopen({ exports: {} }, `${CHROMIUM_DIR}/libvulkan.so.1`, DLOPEN_KEEP);
    } catch {
      // expected: "Module did not self-register"
    }
  }
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter();
  if (!adapter)
    return {
      ok: false,
      why: 'no WebGPU adapter: no Vulkan driver found (install chromium for SwiftShader, or a GPU driver)',
    };
  const g = globalThis as { navigator?: { gpu?: unknown } };
  Object.assign(globalThis, dawn.globals);
  if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
  else Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  // The backend registers itself on import only when navigator.gpu exists (Node 20 has no navigator);
  // if it was imported earlier, register it here the same way.
  const mod = await import('@tensorflow/tfjs-backend-webgpu');
  if (!tf.findBackendFactory('webgpu')) {
    tf.registerBackend('webgpu', async () => {
      const a = (await gpu.requestAdapter())!;
      const l = a.limits;
      const device = await a.requestDevice({
        requiredLimits: {
          maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
          maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
          maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
          maxBufferSize: l.maxBufferSize,
          maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
          maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
        },
      });
      return new mod.WebGPUBackend(device as GPUDevice, a.info as GPUAdapterInfo);
    });
  }
  const info = adapter.info;
  const desc = `${info.vendor} ${info.architecture} ${info.description}`.replace(/\s+/g, ' ').trim();
  return { ok: true, adapter: desc, software: /swiftshader|llvmpipe|software/i.test(desc) };
}
