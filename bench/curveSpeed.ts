/**
 * The trained baselines' speed (issue #13): ms per SGD step of Bezier-curve training (the bend θ₁), per
 * pivot gradient of AutoNEB and per Adam step of the Geometry section's one-bend chain (issue #14), on the
 * bundled models in Node on wasm, with the LeNet5 kernel's gradients
 * (flatLossGrad) and with TF.js autodiff, interleaved in rounds, medians and their ratio from the same run.
 * The app's defaults are 500 curve steps and 480 AutoNEB pivot gradients (src/ui/state/jobDefaults.ts).
 * Alone: `npx tsx bench/curveSpeed.ts [--quick]`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '../src/core/tf';
import { initNodeBackend, loadMnistNode } from '../src/node/nodeHost';
import { median } from '../src/core/train/benchmark';
import { createBatchSource, createEvalSet } from '../src/core/data/batches';
import { takeSplit, type Mnist } from '../src/core/data/mnist';
import { readLenet5 } from '../src/core/io/checkpoint';
import { trainCurve } from '../src/core/baselines/curve';
import { autoNeb } from '../src/core/baselines/autoneb';
import { chainGradient } from '../src/core/geometry/chain';
import { createOptimizer } from '../src/core/geometry/optimizers';
import { disposeParams, toDevice } from '../src/core/model/lenet5';

export interface CurveSpeedBench {
  rounds: number;
  /** Median ms per step, by contender: `bezier-kernel`, `bezier-autodiff`, `autoneb-…`, `chain-…` (Adam). */
  medianMs: Record<string, number>;
  /** autodiff / kernel: how many times faster the kernel's gradients make each. */
  speedup: { bezier: number; autoneb: number; chain: number };
}

const model = (name: string) =>
  readLenet5(new Uint8Array(readFileSync(fileURLToPath(new URL(`../public/models/${name}`, import.meta.url))))).params;

/** ms per step of `steps` Bezier steps (after 2 untimed), one read-back at the end. */
async function curveStepMs(mnist: Mnist, steps: number, autodiff: boolean): Promise<number> {
  const [a, b] = [model('lenet5-seed1.safetensors'), model('lenet5-seed2.safetensors')];
  const batches = createBatchSource(mnist.train, { batchSize: 64, seed: 1 });
  let t0 = 0;
  for await (const e of trainCurve(a, b, batches, { kind: 'bezier', steps: steps + 2, reportEvery: 2, autodiff })) {
    if (e.type === 'step' && e.step === 2) t0 = performance.now();
  }
  return (performance.now() - t0) / steps;
}

/** ms per pivot gradient of one AutoNEB cycle of `steps` steps on 3 pivots (no insertion). */
async function autonebStepMs(mnist: Mnist, steps: number, autodiff: boolean): Promise<number> {
  const [a, b] = [model('lenet5-seed1.safetensors'), model('lenet5-seed2.safetensors')];
  const batches = createBatchSource(mnist.train, { batchSize: 64, seed: 1 });
  const insert = createEvalSet(takeSplit(mnist.train, 100));
  let [t0, done] = [0, 0];
  for await (const e of autoNeb(a, b, batches, insert, {
    pivots: 3,
    cycles: 1,
    stepsPerCycle: steps + 1,
    reportEvery: 1,
    autodiff,
  })) {
    if (e.type === 'relax' && e.step === 1) t0 = performance.now();
    if (e.type === 'relax') done = e.sgdSteps;
  }
  insert.dispose();
  return (performance.now() - t0) / (done - 3);
}

/** ms per Adam step of the Geometry section's one-bend chain (chainGradient, logits × 2 as between canonical models). */
async function chainStepMs(mnist: Mnist, steps: number, autodiff: boolean): Promise<number> {
  const [a, b] = [toDevice(model('lenet5-seed1.safetensors')), toDevice(model('lenet5-seed2.safetensors'))];
  const theta = toDevice(model('lenet5-seed1.safetensors'));
  const batches = createBatchSource(mnist.train, { batchSize: 64, seed: 1 });
  const opt = createOptimizer({ kind: 'adam', lr: 1e-3 });
  let t0 = 0;
  for (let step = 0; step <= steps; step++) {
    if (step === 1) t0 = performance.now();
    const batch = batches.next();
    const loss = tf.tidy(() => {
      const { value, grads } = chainGradient(a, theta, b, (step % 10) / 10, batch, 2, !autodiff);
      opt.apply(theta, grads);
      return value;
    });
    await loss.data();
    tf.dispose([loss, batch.x, batch.y]);
  }
  const ms = (performance.now() - t0) / steps;
  opt.dispose();
  [a, b, theta].forEach(disposeParams);
  return ms;
}

export async function benchCurveSpeed(mnist: Mnist, { quick = false } = {}): Promise<CurveSpeedBench> {
  const rounds = quick ? 2 : 3;
  const [kernelSteps, autodiffSteps] = quick ? [40, 8] : [100, 20];
  const times: Record<string, number[]> = {};
  const add = (k: string, ms: number) => (times[k] ??= []).push(ms);
  for (let r = 0; r < rounds; r++) {
    add('bezier-kernel', await curveStepMs(mnist, kernelSteps, false));
    add('bezier-autodiff', await curveStepMs(mnist, autodiffSteps, true));
    add('autoneb-kernel', await autonebStepMs(mnist, kernelSteps / 4, false));
    add('autoneb-autodiff', await autonebStepMs(mnist, autodiffSteps / 4, true));
    add('chain-kernel', await chainStepMs(mnist, kernelSteps, false));
    add('chain-autodiff', await chainStepMs(mnist, autodiffSteps, true));
  }
  const medianMs = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const speedup = {
    bezier: medianMs['bezier-autodiff'] / medianMs['bezier-kernel'],
    autoneb: medianMs['autoneb-autodiff'] / medianMs['autoneb-kernel'],
    chain: medianMs['chain-autodiff'] / medianMs['chain-kernel'],
  };
  const f = (k: string) => `${medianMs[k].toFixed(1)} ms`;
  console.log(
    `trained baselines (node, wasm, ms per step, medians of ${rounds} interleaved rounds): Bezier bend ` +
      `${f('bezier-kernel')} with the kernel's gradients vs ${f('bezier-autodiff')} autodiff (×${speedup.bezier.toFixed(1)}); ` +
      `AutoNEB pivot ${f('autoneb-kernel')} vs ${f('autoneb-autodiff')} (×${speedup.autoneb.toFixed(1)}); ` +
      `one-bend chain (Adam) ${f('chain-kernel')} vs ${f('chain-autodiff')} (×${speedup.chain.toFixed(1)}); ` +
      `the app's 500 curve steps ≈ ${((500 * medianMs['bezier-kernel']) / 1000).toFixed(1)} s, ` +
      `480 AutoNEB gradients ≈ ${((480 * medianMs['autoneb-kernel']) / 1000).toFixed(1)} s`,
  );
  return { rounds, medianMs, speedup };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await initNodeBackend('wasm');
  await benchCurveSpeed(loadMnistNode(), { quick: process.argv.includes('--quick') });
  tf.disposeVariables();
}
