/**
 * Issue #10's GPU readiness bench: a LeNet5 SGD step (batch 64, lr 0.01, MNIST batches drawn on the
 * device, one loss readback per step) on the WebGPU backend in Node (the `webgpu` package, Dawn), TF.js
 * autodiff (`autodiffSgdStep`) against the fused WGSL step (`webgpuSgdStep`, src/core/kernels/webgpu):
 * GPU dispatches and queue submits per step, and median ms per step. On SwiftShader (a software
 * Vulkan driver on the CPU, here and in CI) the ms say little about a real GPU; the dispatch counts
 * are what carries over: a real GPU runs a LeNet5 step dispatch-bound (SPEC §8).
 * Alone: `npx tsx bench/webgpuStep.ts [--quick] [--json FILE]`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '../src/core/tf';
import { loadMnistNode } from '../src/node/nodeHost';
import { median } from '../src/core/train/benchmark';
import { createBatchSource } from '../src/core/data/batches';
import type { Mnist } from '../src/core/data/mnist';
import { disposeParams, initLenet5 } from '../src/core/model/lenet5';
import { autodiffSgdStep, type SgdOptions, type StepResult } from '../src/core/train/sgd';
import { webgpuSgdStep } from '../src/core/kernels/webgpu/sgdStep';
import { countGpuWork } from '../src/core/kernels/webgpu/dispatchCount';
import { initNodeWebGpu } from '../src/node/webgpuNode';

/** One step implementation on the WebGPU backend. */
export interface WebGpuStepEntry {
  /** `autodiff` (TF.js kernels) or `fused` (the WGSL step). */
  path: 'autodiff' | 'fused';
  /** GPU compute dispatches recorded per step (identical every step). */
  dispatchesPerStep: number;
  /** Queue submits per step, including the loss readback's. */
  submitsPerStep: number;
  /** Median wall ms per step, readback included. */
  medianMs: number;
  minMs: number;
  /** Timed steps. */
  steps: number;
}

export interface WebGpuStepBench {
  /** Adapter description as Dawn reports it. */
  adapter: string;
  /** True for a software rasteriser (SwiftShader, llvmpipe): ms are CPU-emulation times. */
  software: boolean;
  batch: number;
  entries: WebGpuStepEntry[];
  /** fused ms / autodiff ms (below 1: fused is faster). */
  msRatio: number;
}

type Step = (p: ReturnType<typeof initLenet5>, b: { x: tf.Tensor4D; y: tf.Tensor2D }, o: SgdOptions) => StepResult;

async function timeSteps(mnist: Mnist, path: WebGpuStepEntry['path'], warmup: number, steps: number) {
  const step: Step = path === 'fused' ? (p, b, o) => webgpuSgdStep(p, b, o)! : autodiffSgdStep;
  const params = initLenet5(0);
  const batches = createBatchSource(mnist.train, { batchSize: 64, seed: 0 });
  const ms: number[] = [];
  let dispatches = 0;
  let submits = 0;
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    const b = batches.next();
    const run = countGpuWork(() => step(params, b, { lr: 0.01 }));
    const drained = countGpuWork(() => run.result.loss.data());
    await drained.result;
    tf.dispose([b.x, b.y, run.result.loss, run.result.correct]);
    if (i < warmup) continue;
    ms.push(performance.now() - t0);
    dispatches = run.counts!.dispatches;
    submits = run.counts!.submits + drained.counts!.submits;
  }
  disposeParams(params);
  batches.dispose();
  const entry: WebGpuStepEntry = {
    path,
    dispatchesPerStep: dispatches,
    submitsPerStep: submits,
    medianMs: median(ms),
    minMs: Math.min(...ms),
    steps: ms.length,
  };
  return entry;
}

/** Runs the bench; null (with the reason logged) when no WebGPU adapter exists. Leaves the backend on webgpu. */
export async function benchWebGpuStep(
  opts: { quick?: boolean; mnist?: Mnist; log?: (s: string) => void } = {},
): Promise<WebGpuStepBench | null> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const gpu = await initNodeWebGpu();
  if (!gpu.ok) {
    log(`webgpu step bench skipped: ${gpu.why}`);
    return null;
  }
  if (!(await tf.setBackend('webgpu'))) {
    log('webgpu step bench skipped: the TF.js webgpu backend did not initialise');
    return null;
  }
  const mnist = opts.mnist ?? loadMnistNode();
  // Autodiff costs seconds a step on SwiftShader: few steps; the counts are exact from the first.
  const autodiff = await timeSteps(mnist, 'autodiff', 1, opts.quick ? 2 : 4);
  const fused = await timeSteps(mnist, 'fused', 2, opts.quick ? 5 : 20);
  const result: WebGpuStepBench = {
    adapter: gpu.adapter,
    software: gpu.software,
    batch: 64,
    entries: [autodiff, fused],
    msRatio: fused.medianMs / autodiff.medianMs,
  };
  const kind = gpu.software ? 'software adapter: ms are CPU emulation, not GPU times' : 'hardware adapter';
  log(`webgpu step (batch 64) on ${gpu.adapter} (${kind}):`);
  for (const e of result.entries)
    log(
      `  ${e.path.padEnd(8)} ${String(e.dispatchesPerStep).padStart(3)} dispatches, ` +
        `${e.submitsPerStep} submits, ${e.medianMs.toFixed(1).padStart(8)} ms/step ` +
        `(median of ${e.steps}; min ${e.minMs.toFixed(1)})`,
    );
  log(`  fused/autodiff ms: ×${result.msRatio.toFixed(3)}`);
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const r = await benchWebGpuStep({ quick: args.includes('--quick') });
  if (r && args.includes('--json')) writeFileSync(args[args.indexOf('--json') + 1], JSON.stringify(r, null, 2));
  process.exit(0);
}
