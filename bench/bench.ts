import { fileURLToPath } from 'node:url';
/**
 * `npm run bench`: ms per LeNet5 SGD step (batch 64) on every backend in Node and in headless
 * Chromium, and M2M ticks/s with the paper preset plus the share of tick time outside SGD.
 * Medians over repeated steps; ratios are taken within this one run. `--json FILE` writes results;
 * `--quick` skips the slowest backends (Node cpu, Chromium webgl/webgpu on SwiftShader).
 */
import { writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '../src/core/tf';
import { initNodeBackend, loadMnistNode } from '../src/node/nodeHost';
import { BENCHMARK_EVAL_IMAGES, median, timeEvaluations, timeSgdSteps } from '../src/core/train/benchmark';
import { presetFor, validateConfig } from '../src/core/config';
import { createPathSession } from '../src/core/session/pathSession';
import { soak, type SoakResult } from './soak';
import { benchExperimentSpeedup, type ExperimentSpeedupBench } from './experimentSpeedup';
import { benchBaselineSpeed, type BaselineSpeedBench } from './baselineSpeed';
import { benchCurveSpeed, type CurveSpeedBench } from './curveSpeed';
import { benchSgdStep, type SgdStepBench } from './sgdStep';
import { benchWebGpuStep, type WebGpuStepBench } from './webgpuStep';
import { benchUi, type UiBenchResult } from './uiBench';
import { readLenet5 } from '../src/core/io/checkpoint';
import { launch, startPreview, WEBGPU_FLAGS } from '../tests/browser/harness';
import type { BenchmarkResult } from '../src/worker/protocol';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonPath = args.includes('--json') ? (args[args.indexOf('--json') + 1] ?? 'bench-results/bench.json') : null;
const root = fileURLToPath(new URL('../', import.meta.url));
(await import('node:fs')).mkdirSync(join(root, 'bench-results'), { recursive: true });

interface StepResult {
  host: 'node' | 'chromium' | 'pytorch';
  backend: string;
  detail: string;
  steps: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}
const results: {
  sgdStep: StepResult[];
  m2m?: Record<string, number>;
  soak?: SoakResult;
  /** N pairs on 1 worker against one worker per core, interleaved (bench/experimentSpeedup.ts, #15). */
  experiment?: ExperimentSpeedupBench;
  /** The straight line (25 points) and a 21×21 plane, as CLI commands (bench/baselineSpeed.ts, #13). */
  baselines?: BaselineSpeedBench;
  /** Bezier bend and AutoNEB pivot steps, kernel gradients against autodiff, interleaved (bench/curveSpeed.ts, #13). */
  curves?: CurveSpeedBench;
  ui?: UiBenchResult;
  /** ms per evaluation of 2,000 training images, the kernel's forward and TF.js's interleaved, per host. */
  evaluation: EvaluationResult[];
  /** Our wasm step against the old autodiff step and PyTorch (1 and 2 threads), interleaved in one run. */
  engine?: SgdStepBench;
  /** WebGPU step in Node: TF.js autodiff against the fused WGSL step, dispatches and ms (bench/webgpuStep.ts). */
  webgpuStep?: WebGpuStepBench | null;
  machine: Record<string, string | number>;
} = {
  sgdStep: [],
  evaluation: [],
  machine: { node: process.version, cpus: (await import('node:os')).cpus().length, date: new Date().toISOString() },
};
interface EvaluationResult {
  host: 'node' | 'chromium';
  kernelMs: number[];
  tfjsMs: number[];
  /** Median kernel / median TF.js (below 1: the kernel is faster); NaN where the kernel does not run. */
  ratio: number;
}
const summariseEvaluation = (host: EvaluationResult['host'], ms: { kernel: number[]; tfjs: number[] }) => {
  const r = { host, kernelMs: ms.kernel, tfjsMs: ms.tfjs, ratio: median(ms.kernel) / median(ms.tfjs) };
  const kernel = ms.kernel.length ? `${median(ms.kernel).toFixed(1)} ms with the kernel's forward` : 'no kernel';
  console.log(
    `${host.padEnd(8)} evaluate ${BENCHMARK_EVAL_IMAGES} images (wasm, medians of ${ms.tfjs.length} interleaved): ${kernel} vs ` +
      `${median(ms.tfjs).toFixed(1)} ms with TF.js's (×${r.ratio.toFixed(2)})`,
  );
  results.evaluation.push(r);
};
const summarise = (host: StepResult['host'], backend: string, detail: string, ms: number[]): StepResult => {
  const r = {
    host,
    backend,
    detail,
    steps: ms.length,
    medianMs: median(ms),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
  };
  console.log(
    `${host.padEnd(8)} ${backend.padEnd(7)} ${r.medianMs.toFixed(1).padStart(9)} ms/step ` +
      `(median of ${ms.length}; min ${r.minMs.toFixed(1)}, max ${r.maxMs.toFixed(1)})  ${detail}`,
  );
  results.sgdStep.push(r);
  return r;
};

// --- Node: our wasm step, the old autodiff step and PyTorch side by side (bench/sgdStep.ts; issue #10) ---
const mnist = loadMnistNode();
results.engine = await benchSgdStep({ quick, mnist });
for (const e of results.engine.entries) {
  results.sgdStep.push({ ...e, maxMs: NaN });
}
results.webgpuStep = await benchWebGpuStep({ quick, mnist });
for (const e of results.webgpuStep?.entries ?? []) {
  const detail = `${e.dispatchesPerStep} dispatches/step on ${results.webgpuStep!.adapter}`;
  results.sgdStep.push({ host: 'node', backend: `webgpu-${e.path}`, detail, ...e, maxMs: NaN });
}
// --- Node: evaluation (every path tick's, line's and plane point's), the kernel's forward against TF.js's ---
await initNodeBackend('wasm');
summariseEvaluation('node', await timeEvaluations(mnist.train, { images: BENCHMARK_EVAL_IMAGES, rounds: 7 }));
for (const backend of quick ? [] : ['cpu']) {
  await initNodeBackend(backend);
  const ms = await timeSgdSteps(
    mnist.train,
    backend === 'cpu'
      ? { batchSize: 64, warmup: 1, steps: 3, budgetMs: 240_000 }
      : { batchSize: 64, warmup: 10, steps: 100 },
  );
  summarise(
    'node',
    backend,
    backend === 'wasm'
      ? `SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}`
      : 'plain JS kernels',
    ms,
  );
}

// --- M2M, paper preset, wasm in Node: hosted by the session driver like the CLI and the worker ---
{
  await initNodeBackend('wasm');
  const load = (f: string) => readLenet5(new Uint8Array(readFileSync(join(root, 'public/models', f)))).params;
  const config = validateConfig({ ...presetFor('paper', 'm2m'), ticks: 220 });
  const run = createPathSession({
    config,
    start: load('lenet5-seed1.safetensors'),
    dest: load('lenet5-seed2.safetensors'),
    mnist,
  });
  const tickMs: number[] = [];
  let sgd = 0;
  let total = 0;
  let measuredFrom = 0;
  run.session.on((e) => {
    if (e.type !== 'point') return;
    const { tick, timing } = e.point;
    if (tick === 20) measuredFrom = performance.now(); // warm-up: ticks 1..20
    if (tick > 20 && tick < 220) {
      // Ticks 21..219 include the paper cadence: test evaluation + snapshot at tick 100 and 200.
      tickMs.push(timing.tickMs);
      sgd += timing.sgdMs;
      total += timing.tickMs;
    }
  });
  await run.session.run();
  run.dispose();
  const wall = (performance.now() - measuredFrom) / 1000;
  const m2m = {
    ticksPerSecond: tickMs.length / (tickMs.reduce((a, b) => a + b, 0) / 1000),
    medianTickMs: median(tickMs),
    shareOutsideSgd: 1 - sgd / total,
    ticksMeasured: tickMs.length,
    wallSeconds: wall,
  };
  results.m2m = m2m;
  console.log(
    `node     M2M paper preset (wasm): ${m2m.ticksPerSecond.toFixed(2)} ticks/s, ` +
      `median tick ${m2m.medianTickMs.toFixed(0)} ms, ${(m2m.shareOutsideSgd * 100).toFixed(1)} % of tick time ` +
      'outside SGD steps (ticks 21–219, with evaluation and snapshots at 100 and 200)',
  );
}

// --- Soak: 100,000 ticks with training off; tensor count and heap flat (bench/soak.ts) ---
if (!quick) results.soak = await soak();

// --- Experiments: N pairs on 1 worker vs one per core (bench/experimentSpeedup.ts) ---
results.experiment = benchExperimentSpeedup({ quick });
results.baselines = benchBaselineSpeed({ quick });
results.curves = await benchCurveSpeed(mnist, { quick }); // on wasm since the M2M bench

// --- Headless Chromium (the app's engine worker) ---
{
  const server = await startPreview(4185);
  try {
    const runs: Array<{ flags: string[]; backend: string; steps: number; warmup: number; budgetMs: number }> = [
      { flags: [], backend: 'wasm', steps: 60, warmup: 10, budgetMs: 60_000 },
      ...(quick
        ? []
        : [
            {
              flags: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
              backend: 'webgl',
              steps: 5,
              warmup: 2,
              budgetMs: 90_000,
            },
            { flags: WEBGPU_FLAGS, backend: 'webgpu', steps: 3, warmup: 1, budgetMs: 150_000 },
          ]),
    ];
    for (const r of runs) {
      const browser = await launch(r.flags);
      try {
        const page = await browser.newPage();
        await page.goto(`${server.url}?backend=${r.backend}`);
        await page
          .getByTestId('backend')
          .filter({ hasText: `backend ${r.backend}` })
          .waitFor({ timeout: 120_000 });
        await page.getByText('MNIST loaded').waitFor({ timeout: 60_000 });
        const detail = await page.getByTestId('status').innerText();
        const out = await page.evaluate(
          ([steps, warmup, budget]) =>
            (
              globalThis as unknown as {
                __lowloss: { bridge: { benchmark(s: number, w: number, b: number): Promise<BenchmarkResult> } };
              }
            ).__lowloss.bridge.benchmark(steps, warmup, budget),
          [r.steps, r.warmup, r.budgetMs] as const,
        );
        summarise('chromium', r.backend, detail.split('\n')[0].replace(/\s+/g, ' ').slice(0, 120), out.msPerStep);
        if (r.backend === 'wasm') summariseEvaluation('chromium', out.evalMs);
      } catch (e) {
        console.log(`chromium ${r.backend}: not measured (${(e as Error).message.split('\n')[0]})`);
      } finally {
        await browser.close();
      }
    }
    if (!quick) results.ui = await benchUi(server.url);
  } finally {
    server.stop();
  }
}

// --- Ratios, measured side by side in this run ---
const wasmNode = results.sgdStep.find((r) => r.host === 'node' && r.backend === 'wasm');
if (wasmNode) {
  console.log('\nratios to Node wasm (median ms/step):');
  for (const r of results.sgdStep)
    console.log(`  ${r.host} ${r.backend}: ×${(r.medianMs / wasmNode.medianMs).toFixed(2)}`);
}
if (jsonPath) {
  (await import('node:fs')).mkdirSync(join(jsonPath, '..'), { recursive: true });
  writeFileSync(jsonPath, JSON.stringify(results, null, 2));
  console.log(`wrote ${jsonPath}`);
}
process.exit(0);
