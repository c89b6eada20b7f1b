import { LENET5, size } from '../model/spec';
import { LENET5_WASM_BASE64 } from './lenet5Wasm';

/**
 * The hand-written LeNet5 train step (kernels/lenet5, AssemblyScript + WASM SIMD; issue #10): forward,
 * softmax cross-entropy and every gradient of a batch in one call, in its own linear memory. TF.js's
 * gradient kernels on wasm cost ~70 ms a step (SPEC §8); this one call replaces ~140 of them.
 */
interface KernelExports {
  memory: WebAssembly.Memory;
  setup(batch: number): void;
  paramsPtr(): number;
  gradsPtr(): number;
  xPtr(): number;
  yPtr(): number;
  outPtr(): number;
  step(): void;
  runPhase(phase: number): void;
}

/** Offset (floats) of each parameter in the kernel's flat block: state_dict order, engine layouts. */
export const KERNEL_OFFSETS: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  let at = 0;
  for (const p of LENET5) {
    m.set(p.name, at);
    at += size(p.shape);
  }
  return m;
})();
const PARAM_COUNT = LENET5.reduce((n, p) => n + size(p.shape), 0);

/** The module's views for one batch size; views are remade when memory grows. */
export interface Lenet5Kernel {
  /** Parameters to write before step(), engine layouts, concatenated (KERNEL_OFFSETS). */
  params: Float32Array;
  /** dLoss/dθ after step(), same layout as params. */
  grads: Float32Array;
  /** Normalised images, batch × 784 (H, W). */
  x: Float32Array;
  /** Labels (one-hot or soft), batch × 10. */
  y: Float32Array;
  /** Runs forward + backward; returns [mean cross-entropy, correct top-1 count]. */
  step(): [number, number];
  /** Runs one of the step's phases (KERNEL_PHASES, in order): for per-phase profiles and forward-only passes. */
  runPhase(phase: number): void;
  /** [mean cross-entropy, correct top-1 count] of the last pass through phase 3 (dense forward + loss). */
  output(): [number, number];
}

/** The phases of one kernel step, in the order runPhase takes them. */
export const KERNEL_PHASES = [
  'copy input + weights',
  'conv1+relu+pool forward',
  'conv2+relu+pool forward',
  'dense forward + loss',
  'dense backward',
  'conv2 backward (dW, dX)',
  'conv1 backward (dW)',
] as const;

let instance: KernelExports | null | undefined;
/** Views for the batch size memory is laid out for now. */
let laidOut: { batch: number; view: Lenet5Kernel } | null = null;

function instantiate(): KernelExports | null {
  if (instance !== undefined) return instance;
  try {
    const bin = atob(LENET5_WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    // Synchronous compile: 16 KB, once; allowed in Node and in workers. No SIMD → null → TF.js path.
    instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as KernelExports;
  } catch {
    instance = null;
  }
  return instance;
}

/** The kernel laid out for `batch` images, or null where WASM SIMD is unavailable. */
export function lenet5Kernel(batch: number): Lenet5Kernel | null {
  const k = instantiate();
  if (!k) return null;
  if (laidOut?.batch === batch) return laidOut.view;
  k.setup(batch);
  const f32 = (ptr: number, n: number) => new Float32Array(k.memory.buffer, ptr, n);
  const out = f32(k.outPtr(), 2);
  const view: Lenet5Kernel = {
    params: f32(k.paramsPtr(), PARAM_COUNT),
    grads: f32(k.gradsPtr(), PARAM_COUNT),
    x: f32(k.xPtr(), batch * 784),
    y: f32(k.yPtr(), batch * 10),
    step: () => {
      k.step();
      return [out[0], out[1]];
    },
    runPhase: (phase) => k.runPhase(phase),
    output: () => [out[0], out[1]],
  };
  laidOut = { batch, view };
  return view;
}
