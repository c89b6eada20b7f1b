/**
 * Issue #10's side-by-side step bench: ms per LeNet5 SGD step (batch 64, lr 0.01) in one run for
 * the Node wasm kernel path (`sgdStep`), the old TF.js autodiff path (`autodiffSgdStep`, same
 * backend) and, when a python3 with torch is found, PyTorch with 1 and 2 threads
 * (bench/torch_step.py: random batch of 64 from tensors in memory). The machine is noisy (SPEC §8),
 * so the contenders run interleaved in rounds and medians and ratios come from the same run.
 * Also returns the tf.profile kernel list and the kernel's per-phase medians after the change.
 * Alone: `npx tsx bench/sgdStep.ts [--quick] [--json FILE]`.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '../src/core/tf';
import { initNodeBackend, loadMnistNode } from '../src/node/nodeHost';
import { median } from '../src/core/train/benchmark';
import { createBatchSource } from '../src/core/data/batches';
import type { Mnist } from '../src/core/data/mnist';
import { disposeParams, initLenet5 } from '../src/core/model/lenet5';
import { autodiffSgdStep, sgdStep, type StepResult } from '../src/core/train/sgd';
import { KERNEL_PHASES, lenet5Kernel } from '../src/core/kernels/lenet5Kernel';
import { registerWasmKernels } from '../src/core/backends/wasmKernels';

/** One contender's timing; `host`/`backend`/`medianMs` as in bench.ts's `sgdStep[]`. */
export interface SgdStepEntry {
  host: 'node' | 'pytorch';
  backend: string;
  detail: string;
  /** Timed steps over all rounds. */
  steps: number;
  medianMs: number;
  minMs: number;
}

export interface SgdStepBench {
  entries: SgdStepEntry[];
  /** ours / theirs (below 1: ours is faster), e.g. `wasm/pytorch-1thread`. */
  ratios: Record<string, number>;
  /** tf.profile over 20 kernel-path steps: TF.js kernels by total ms. */
  tfProfile: { kernel: string; calls: number; totalMs: number }[];
  /** Median ms of each phase inside the wasm kernel (one batch of 64). */
  kernelPhases: { phase: string; medianMs: number }[];
  /** What Node's wasm backend says about threads. */
  threads: string;
}

type StepFn = (
  p: ReturnType<typeof initLenet5>,
  b: { x: tf.Tensor4D; y: tf.Tensor2D },
  o: { lr: number },
) => StepResult;

/** Times `steps` steps (batch drawn on the device, one loss readback per step, as timeSgdSteps). */
async function timeSteps(mnist: Mnist, step: StepFn, warmup: number, steps: number): Promise<number[]> {
  const params = initLenet5(0);
  const batches = createBatchSource(mnist.train, { batchSize: 64, seed: 0 });
  const times: number[] = [];
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    const b = batches.next();
    const { loss, correct } = step(params, b, { lr: 0.01 });
    await loss.data();
    tf.dispose([b.x, b.y, loss, correct]);
    if (i >= warmup) times.push(performance.now() - t0);
  }
  disposeParams(params);
  batches.dispose();
  return times;
}

/** A python3 that imports torch: Debian's (/usr/bin) first, then PATH's; null if none. */
function findTorchPython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
    if (r.status === 0) return py;
  }
  return null;
}

function torchTimes(py: string, threads: number, steps: number): number[] {
  const script = fileURLToPath(new URL('./torch_step.py', import.meta.url));
  const args = [script, '--threads', String(threads), '--warmup', '10', '--steps', String(steps)];
  const r = spawnSync(py, args, { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`torch_step.py failed: ${r.stderr}`);
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { times: number[] }).times;
}

export async function benchSgdStep(opts: { quick?: boolean; mnist?: Mnist; log?: (s: string) => void } = {}) {
  const log = opts.log ?? ((s: string) => console.log(s));
  await initNodeBackend('wasm');
  registerWasmKernels(); // the row-copy GatherV2 for the batch gather (until the hosts call it)
  const mnist = opts.mnist ?? loadMnistNode();
  const rounds = opts.quick ? 2 : 5;
  const py = findTorchPython();
  const series = new Map<string, { entry: Omit<SgdStepEntry, 'steps' | 'medianMs' | 'minMs'>; ms: number[] }>();
  const add = (key: string, entry: Omit<SgdStepEntry, 'steps' | 'medianMs' | 'minMs'>, ms: number[]) => {
    if (!series.has(key)) series.set(key, { entry, ms: [] });
    series.get(key)!.ms.push(...ms);
  };
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  for (let r = 0; r < rounds; r++) {
    add(
      'wasm',
      { host: 'node', backend: 'wasm', detail: `LeNet5 wasm SIMD kernel, SIMD ${simd}, 1 thread` },
      await timeSteps(mnist, sgdStep, r === 0 ? 20 : 5, 60),
    );
    add(
      'wasm-autodiff',
      { host: 'node', backend: 'wasm-autodiff', detail: 'TF.js autodiff (before issue #10)' },
      await timeSteps(mnist, autodiffSgdStep, r === 0 ? 3 : 1, opts.quick ? 4 : 8),
    );
    if (py) {
      for (const threads of [1, 2]) {
        const key = `pytorch-${threads}thread${threads > 1 ? 's' : ''}`;
        add(
          key,
          { host: 'pytorch', backend: key, detail: `${py}, torch, ${threads} thread(s)` },
          torchTimes(py, threads, 60),
        );
      }
    }
    log(`round ${r + 1}/${rounds} done`);
  }
  const entries: SgdStepEntry[] = [...series.values()].map(({ entry, ms }) => ({
    ...entry,
    steps: ms.length,
    medianMs: median(ms),
    minMs: Math.min(...ms),
  }));
  const ms = (k: string) => entries.find((e) => e.backend === k)?.medianMs;
  const ratios: Record<string, number> = {};
  for (const other of ['wasm-autodiff', 'pytorch-1thread', 'pytorch-2threads']) {
    if (ms(other) !== undefined) ratios[`wasm/${other}`] = ms('wasm')! / ms(other)!;
  }
  const result: SgdStepBench = {
    entries,
    ratios,
    tfProfile: await profileKernels(mnist),
    kernelPhases: phaseMedians(),
    threads: [
      `WASM_HAS_MULTITHREAD_SUPPORT=${await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')}:`,
      'tfjs-backend-wasm 4.22 hard-codes false under Node (tfjs issue #3830),',
      'so TF.js wasm runs 1 thread in Node; the LeNet5 kernel is 1 thread',
    ].join(' '),
  };
  for (const e of entries) {
    const ms = e.medianMs.toFixed(2).padStart(8);
    log(`${e.host.padEnd(8)} ${e.backend.padEnd(17)} ${ms} ms (min ${e.minMs.toFixed(2)}, n ${e.steps})`);
  }
  for (const [k, v] of Object.entries(ratios)) log(`ratio ${k}: ${v.toFixed(3)}`);
  if (!py) log('no python3 with torch found: PyTorch entries skipped');
  return result;
}

async function profileKernels(mnist: Mnist): Promise<SgdStepBench['tfProfile']> {
  const info = await tf.profile(async () => {
    const ms = await timeSteps(mnist, sgdStep, 0, 20);
    return ms.length;
  });
  const by = new Map<string, { calls: number; totalMs: number }>();
  for (const k of info.kernels) {
    const e = by.get(k.name) ?? { calls: 0, totalMs: 0 };
    e.calls++;
    e.totalMs += Number(k.kernelTimeMs) || 0;
    by.set(k.name, e);
  }
  return [...by].map(([kernel, e]) => ({ kernel, ...e })).sort((a, b) => b.totalMs - a.totalMs);
}

function phaseMedians(): SgdStepBench['kernelPhases'] {
  const k = lenet5Kernel(64);
  if (!k) return [];
  // Random images and labels: the timing does not depend on the values beyond the ReLU/pool masks.
  for (let i = 0; i < k.x.length; i++) k.x[i] = Math.random() * 3 - 0.5;
  k.y.fill(0);
  for (let b = 0; b < 64; b++) k.y[b * 10 + (b % 10)] = 1;
  const t: number[][] = KERNEL_PHASES.map(() => []);
  for (let i = 0; i < 200; i++) {
    for (let p = 0; p < KERNEL_PHASES.length; p++) {
      const t0 = performance.now();
      k.runPhase(p);
      t[p].push(performance.now() - t0);
    }
  }
  return KERNEL_PHASES.map((phase, p) => ({ phase, medianMs: median(t[p]) }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const r = await benchSgdStep({ quick: args.includes('--quick') });
  console.log(
    'tf.profile (20 steps):',
    r.tfProfile.map((k) => `${k.kernel} ×${k.calls} ${k.totalMs.toFixed(1)} ms`).join('; '),
  );
  console.log('kernel phases:', r.kernelPhases.map((p) => `${p.phase} ${p.medianMs.toFixed(3)}`).join('; '));
  console.log(r.threads);
  if (args.includes('--json')) writeFileSync(args[args.indexOf('--json') + 1], JSON.stringify(r, null, 2));
}
