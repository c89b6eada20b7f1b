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
import { initNodeBackend, loadMnistNode } from '../src/cli/nodeHost';
import { median, timeSgdSteps } from '../src/core/train/benchmark';
import { presetFor, validateConfig } from '../src/core/config';
import { PathState, createPathContext, llpfPath } from '../src/core/llpf/path';
import { disposeParams, toDevice } from '../src/core/model/lenet5';
import { readLenet5 } from '../src/core/io/checkpoint';
import { launch, startPreview, WEBGPU_FLAGS } from '../tests/browser/harness';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonPath = args.includes('--json') ? (args[args.indexOf('--json') + 1] ?? 'bench-results/bench.json') : null;
const root = fileURLToPath(new URL('../', import.meta.url));
(await import('node:fs')).mkdirSync(join(root, 'bench-results'), { recursive: true });

interface StepResult {
  host: 'node' | 'chromium';
  backend: string;
  detail: string;
  steps: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}
const results: { sgdStep: StepResult[]; m2m?: Record<string, number>; ui?: Record<string, number>; machine: Record<string, string | number> } = {
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
  const ctx = createPathContext(mnist, config);
  const tickMs: number[] = [];
  let sgd = 0;
  let total = 0;
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
    if (!quick) results.ui = await benchUi(server.url);
  } finally {
    server.stop();
  }
}

/**
 * The page with a 30,000-point run: M2O with training off (pure move, fast ticks) streams
 * 30,001 points into the panels; we record the longest main-thread task and the frame rate.
 */
async function benchUi(url: string): Promise<Record<string, number>> {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1300 } });
    await page.addInitScript(`
      window.__longTasks = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
      window.__frames = 0; const tick = () => { window.__frames++; requestAnimationFrame(tick); }; requestAnimationFrame(tick);
    `);
    await page.goto(`${url}?preset=paper&mode=m2o&ticks=30000&rounds-min=0&rounds-max=0&snapshot-every=0&eval-every=30000&step-a=0.0001`);
    await page.getByText('MNIST loaded').waitFor({ timeout: 60_000 });
    await page.getByTestId('endpoint-A').getByRole('button', { name: 'Bundled' }).click();
    await page.getByTestId('model-A').waitFor();
    await page.evaluate(() => { (window as never as { __longTasks: number[] }).__longTasks = []; (window as never as { __frames: number }).__frames = 0; });
    const t0 = Date.now();
    await page.getByTestId('start').click();
    await page.getByTestId('run-status').filter({ hasText: 'done' }).waitFor({ timeout: 900_000 });
    const seconds = (Date.now() - t0) / 1000;
    const { longTasks, frames, points, drawn } = await page.evaluate(() => ({
      longTasks: (window as never as { __longTasks: number[] }).__longTasks,
      frames: (window as never as { __frames: number }).__frames,
      points: (globalThis as unknown as { __lowloss: { store: { series: { length: number } } } }).__lowloss.store.series.length,
      drawn: (document.querySelector('[data-testid=plot-distance]') as unknown as { data: Array<{ x: unknown[] }> }).data[0].x.length,
    }));
    // Frame rate with all points on screen: count frames for 5 s while hovering the plots.
    await page.evaluate(() => ((window as never as { __frames: number }).__frames = 0));
    await page.mouse.move(300, 900);
    await page.waitForTimeout(5000);
    const idleFrames = await page.evaluate(() => (window as never as { __frames: number }).__frames);
    await page.screenshot({ path: join(root, 'bench-results', 'ui-30000-points.png'), fullPage: true });
    const ui = { points, drawnPerTrace: drawn, runSeconds: seconds, fpsDuringRun: frames / seconds, fpsAfter: idleFrames / 5, longestTaskMs: Math.max(0, ...longTasks), longTasksOver50ms: longTasks.length };
    console.log(`chromium UI, ${points} points (${drawn} drawn per trace): longest main-thread task ${ui.longestTaskMs.toFixed(0)} ms (${ui.longTasksOver50ms} over 50 ms) during a ${seconds.toFixed(0)} s run; ${ui.fpsDuringRun.toFixed(1)} frames/s during the run, ${ui.fpsAfter.toFixed(1)} after`);
    return ui;
  } finally {
    await browser.close();
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
