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
import { initNodeBackend, loadMnistNode } from '../src/cli/nodeHost';
import { median, timeSgdSteps } from '../src/core/train/benchmark';
import { presetFor, validateConfig } from '../src/core/config';
import { PathState, llpfPath } from '../src/core/llpf/path';
import { createBatchSource, createEvalSet } from '../src/core/data/batches';
import { takeSplit } from '../src/core/data/mnist';
import { disposeParams, toDevice } from '../src/core/model/lenet5';
import { readLenet5 } from '../src/core/io/checkpoint';
import { launch, startPreview, WEBGPU_FLAGS } from '../tests/browser/harness';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonPath = args.includes('--json') ? (args[args.indexOf('--json') + 1] ?? 'bench-results/bench.json') : null;
const root = join(__dirname, '..');

interface StepResult {
  host: 'node' | 'chromium';
  backend: string;
  detail: string;
  steps: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}
const results: { sgdStep: StepResult[]; m2m?: Record<string, number>; machine: Record<string, string | number> } = {
  sgdStep: [],
  machine: { node: process.version, cpus: (await import('node:os')).cpus().length, date: new Date().toISOString() },
};
const summarise = (host: StepResult['host'], backend: string, detail: string, ms: number[]): StepResult => {
  const r = { host, backend, detail, steps: ms.length, medianMs: median(ms), minMs: Math.min(...ms), maxMs: Math.max(...ms) };
  console.log(`${host.padEnd(8)} ${backend.padEnd(7)} ${r.medianMs.toFixed(1).padStart(9)} ms/step (median of ${ms.length}; min ${r.minMs.toFixed(1)}, max ${r.maxMs.toFixed(1)})  ${detail}`);
  results.sgdStep.push(r);
  return r;
};

// --- Node ---
const mnist = loadMnistNode();
for (const backend of quick ? ['wasm'] : ['wasm', 'cpu']) {
  await initNodeBackend(backend);
  const ms = await timeSgdSteps(mnist.train, backend === 'cpu' ? { batchSize: 64, warmup: 1, steps: 3, budgetMs: 240_000 } : { batchSize: 64, warmup: 10, steps: 100 });
  summarise('node', backend, backend === 'wasm' ? `SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}` : 'plain JS kernels', ms);
}

// --- M2M, paper preset, wasm in Node ---
{
  await initNodeBackend('wasm');
  const load = (f: string) => toDevice(readLenet5(new Uint8Array(readFileSync(join(root, 'public/models', f)))).params);
  const A = load('lenet5-seed1.safetensors');
  const B = load('lenet5-seed2.safetensors');
  const config = validateConfig({ ...presetFor('paper', 'm2m'), ticks: 220 });
  const state = new PathState(A, B, config);
  const ctx = {
    batches: createBatchSource(mnist.train, { batchSize: 64, seed: 0 }),
    testFull: createEvalSet(mnist.test),
    testSubset: createEvalSet(takeSplit(mnist.test, config.evalSubset)),
  };
  const tickMs: number[] = [];
  let sgd = 0;
  let total = 0;
  const t0 = performance.now();
  let measuredFrom = 0;
  for await (const { point } of llpfPath(state, ctx)) {
    if (point.tick === 20) measuredFrom = performance.now(); // warm-up: ticks 1..20
    if (point.tick > 20 && point.tick < 220) {
      // Ticks 21..219 include the paper cadence: test subset + snapshot at tick 100 and 200.
      tickMs.push(point.timing.tickMs);
      sgd += point.timing.sgdMs;
      total += point.timing.tickMs;
    }
  }
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
    `node     M2M paper preset (wasm): ${m2m.ticksPerSecond.toFixed(2)} ticks/s, median tick ${m2m.medianTickMs.toFixed(0)} ms, ` +
      `${(m2m.shareOutsideSgd * 100).toFixed(1)} % of tick time outside SGD steps (ticks 21–219, with evaluation and snapshots at 100 and 200)`,
  );
  void t0;
  state.dispose();
  disposeParams(A);
  disposeParams(B);
}

// --- Headless Chromium (the app's engine worker) ---
{
  const server = await startPreview(4185);
  try {
    const runs: Array<{ flags: string[]; backend: string; steps: number; warmup: number; budgetMs: number }> = [
      { flags: [], backend: 'wasm', steps: 60, warmup: 10, budgetMs: 60_000 },
      ...(quick
        ? []
        : [
            { flags: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'], backend: 'webgl', steps: 5, warmup: 2, budgetMs: 90_000 },
            { flags: WEBGPU_FLAGS, backend: 'webgpu', steps: 3, warmup: 1, budgetMs: 150_000 },
          ]),
    ];
    for (const r of runs) {
      const browser = await launch(r.flags);
      try {
        const page = await browser.newPage();
        await page.goto(`${server.url}?backend=${r.backend}`);
        await page.getByTestId('backend').filter({ hasText: `backend ${r.backend}` }).waitFor({ timeout: 120_000 });
        await page.getByText('MNIST loaded').waitFor({ timeout: 60_000 });
        const detail = await page.getByTestId('status').innerText();
        const out = await page.evaluate(
          ([steps, warmup, budget]) => (globalThis as unknown as { __lowloss: { bridge: { benchmark(s: number, w: number, b: number): Promise<{ msPerStep: number[] }> } } }).__lowloss.bridge.benchmark(steps, warmup, budget),
          [r.steps, r.warmup, r.budgetMs] as const,
        );
        summarise('chromium', r.backend, detail.split('\n')[0].replace(/\s+/g, ' ').slice(0, 120), out.msPerStep);
      } catch (e) {
        console.log(`chromium ${r.backend}: not measured (${(e as Error).message.split('\n')[0]})`);
      } finally {
        await browser.close();
      }
    }
  } finally {
    server.stop();
  }
}

// --- Ratios, measured side by side in this run ---
const wasmNode = results.sgdStep.find((r) => r.host === 'node' && r.backend === 'wasm');
if (wasmNode) {
  console.log('\nratios to Node wasm (median ms/step):');
  for (const r of results.sgdStep) console.log(`  ${r.host} ${r.backend}: ×${(r.medianMs / wasmNode.medianMs).toFixed(2)}`);
}
if (jsonPath) {
  (await import('node:fs')).mkdirSync(join(jsonPath, '..'), { recursive: true });
  writeFileSync(jsonPath, JSON.stringify(results, null, 2));
  console.log(`wrote ${jsonPath}`);
}
process.exit(0);
