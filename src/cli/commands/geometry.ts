import { readFileSync } from 'node:fs';
import * as tf from '../../core/tf';
import type { HostParams } from '../../core/model/lenet5';
import { createEvalSet, type EvalSet } from '../../core/data/batches';
import { takeSplit, type Mnist } from '../../core/data/mnist';
import { readLenet5, writeLenet5 } from '../../core/io/checkpoint';
import { canonicalizeWithScale, sphereNorms } from '../../core/geometry/canonical';
import { canonicalPair, compareModels } from '../../core/geometry/compare';
import { geodesicProfile, linearProfile } from '../../core/geometry/landscape';
import { DEFAULT_SIGMAS, localEnergy } from '../../core/geometry/flatness';
import { runTraining } from '../../core/geometry/trainRun';
import { isBinaryFile, readBinaryLenet5 } from '../../core/binary/io';
import { uploadBinary, type BinaryHost } from '../../core/binary/model';
import { alignBinary } from '../../core/binary/align';
import { DEFAULT_BINARY_TRAINING, evaluateBinary } from '../../core/binary/train';
import { binaryError, binaryFunctionDistance, binaryPathProfile, hammingDistance } from '../../core/binary/distance';
import { initNodeBackend, loadMnistNode } from '../../node/nodeHost';
import { writeFileEnsuringDir } from './basic';

/**
 * Seed 002 commands (Pittorino et al. 2022; SPEC §7; issue #14): canonical form, distances, error
 * along geodesics, flatness, training with other optimisers and binary LeNet5. Bad values exit 1
 * with one line (plain errors; main prints "lowloss CMD: error: …").
 */
type Flags = Record<string, unknown>;
const string = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;

/** A numeric flag; a bad value is a one-line error (exit 1). */
function number(
  flags: Flags,
  name: string,
  fallback: number,
  opts: { integer?: boolean; min?: number; max?: number } = {},
): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  const bad = !Number.isFinite(v) || String(raw).trim() === '' || (opts.integer && !Number.isInteger(v));
  if (bad || (opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
    const range = `${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}${opts.max !== undefined ? ` ≤ ${opts.max}` : ''}`;
    throw new Error(`--${name} must be ${opts.integer ? 'an integer' : 'a number'}${range}, got "${String(raw)}"`);
  }
  return v;
}

function text(flags: Flags, name: string): string {
  const raw = flags[name];
  if (typeof raw !== 'string' || raw === '') throw new Error(`--${name} is required`);
  return raw;
}

function readBytes(path: string): Uint8Array {
  try {
    const b = readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

type Loaded = { kind: 'real'; params: HostParams } | { kind: 'binary'; params: BinaryHost };

/** Reads a LeNet5 file, real or binary (metadata binary = "true"). */
export function readAnyModel(path: string): Loaded {
  const bytes = readBytes(path);
  if (isBinaryFile(bytes)) return { kind: 'binary', params: readBinaryLenet5(bytes).params };
  return { kind: 'real', params: readLenet5(bytes).params };
}

function readReal(path: string, command: string): HostParams {
  const m = readAnyModel(path);
  if (m.kind === 'binary') throw new Error(`${path} is a binary model; ${command} needs a real-valued LeNet5`);
  return m.params;
}

function pair(flags: Flags): [Loaded, Loaded] {
  const [a, b] = [readAnyModel(text(flags, 'a')), readAnyModel(text(flags, 'b'))];
  if (a.kind !== b.kind) throw new Error('--a and --b must both be real-valued or both binary models');
  return [a, b];
}

async function setup(flags: Flags): Promise<Mnist> {
  await initNodeBackend(flags.backend as string | undefined);
  return loadMnistNode();
}

/** Runs `body` with evaluation sets it frees afterwards. */
async function withSets<T>(sets: EvalSet[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    sets.forEach((s) => s.dispose());
  }
}

const print = (flags: Flags, json: object, human: string) => console.log(flags.json ? JSON.stringify(json) : human);
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

/** `lowloss canon --model M --out FILE`: the scale canonical form (same predictions, unit norms). */
export async function canon(flags: Flags): Promise<void> {
  const host = readReal(text(flags, 'model'), 'canon');
  const out = text(flags, 'out');
  const { params, logitScale } = canonicalizeWithScale(host);
  const maxNormError = Math.max(...sphereNorms(params).map((n) => Math.abs(n - 1)));
  writeFileEnsuringDir(out, writeLenet5(params, { canonical: 'true', logitScale: String(logitScale) }));
  print(
    flags,
    { out, logitScale, spheres: 227, maxNormError },
    `wrote ${out}: 227 unit spheres, logits ÷ ${logitScale.toFixed(4)}`,
  );
}

/** `lowloss compare --a A --b B`: raw, aligned, geodesic and function-space distances. */
export async function compare(flags: Flags): Promise<void> {
  const [a, b] = pair(flags);
  const mnist = await setup(flags);
  const test = createEvalSet(mnist.test);
  await withSets([test], async () => {
    if (a.kind === 'binary' && b.kind === 'binary') {
      const h = hammingDistance(a.params, b.params);
      const aligned = alignBinary(a.params, b.params).aligned;
      const r = {
        hamming: h.count,
        hammingFraction: h.fraction,
        hammingAligned: hammingDistance(a.params, aligned).count,
        functionDistance: await binaryFunctionDistance(a.params, b.params, test),
        testErrorA: await binaryError(a.params, test),
        testErrorB: await binaryError(b.params, test),
      };
      print(flags, r, `Hamming ${r.hamming} (${pct(r.hammingFraction)}), function distance ${pct(r.functionDistance)}`);
      return;
    }
    const r = await compareModels(a.params as HostParams, b.params as HostParams, test);
    const human = [
      `L2 ${r.l2.toFixed(4)}  aligned L2 ${r.l2Aligned.toFixed(4)}  geodesic ${r.geodesic.toFixed(4)} rad`,
      `function distance ${pct(r.functionDistance)}  test error A ${pct(r.testErrorA)}  B ${pct(r.testErrorB)}`,
    ].join('\n');
    print(flags, r, human);
  });
}

/** `lowloss geodesic --a A --b B [--points 25] [--linear]`: 0-1 error along the geodesic (or line). */
export async function geodesic(flags: Flags): Promise<void> {
  const points = number(flags, 'points', 25, { integer: true, min: 2, max: 1001 });
  const trainSamples = number(flags, 'train-samples', 10000, { integer: true, min: 1, max: 60000 });
  const [a, b] = pair(flags);
  const mnist = await setup(flags);
  const sets = { train: createEvalSet(takeSplit(mnist.train, trainSamples)), test: createEvalSet(mnist.test) };
  await withSets([sets.train, sets.test], async () => {
    let p;
    if (a.kind === 'binary' && b.kind === 'binary') {
      p = await binaryPathProfile(a.params, alignBinary(a.params, b.params).aligned, points, sets);
    } else if (flags.linear) p = await linearProfile(a.params as HostParams, b.params as HostParams, points, sets);
    else {
      const c = canonicalPair(a.params as HostParams, b.params as HostParams);
      p = await geodesicProfile(c.a, c.b, points, sets);
    }
    const rows = p.t.map((t, i) => `t ${t.toFixed(3)}  train ${pct(p.trainError[i])}  test ${pct(p.testError[i])}`);
    const json = {
      t: p.t,
      trainError: p.trainError,
      testError: p.testError,
      barrier: p.barrier,
      testBarrier: p.testBarrier,
    };
    print(flags, json, [...rows, `barrier (train) ${pct(p.barrier)}  (test) ${pct(p.testBarrier)}`].join('\n'));
  });
}

/** `lowloss flatness --model M [--sigmas 0,0.1,…] [--samples 8]`: local energy δE(σ). */
export async function flatness(flags: Flags): Promise<void> {
  const sigmas =
    flags.sigmas === undefined
      ? DEFAULT_SIGMAS
      : String(flags.sigmas)
          .split(',')
          .map((s) => s.trim());
  const parsed = sigmas.map((s) => Number(s));
  if (!parsed.length || parsed.some((s, i) => !Number.isFinite(s) || s < 0 || String(sigmas[i]) === '')) {
    throw new Error(`--sigmas must be a comma list of numbers ≥ 0, got "${String(flags.sigmas)}"`);
  }
  const samples = number(flags, 'samples', 8, { integer: true, min: 1 });
  const seed = number(flags, 'seed', 0, { integer: true, min: 0 });
  const trainSamples = number(flags, 'train-samples', 5000, { integer: true, min: 1, max: 60000 });
  const host = readReal(text(flags, 'model'), 'flatness');
  const mnist = await setup(flags);
  const train = createEvalSet(takeSplit(mnist.train, trainSamples));
  await withSets([train], async () => {
    const r = await localEnergy(host, train, { sigmas: parsed, samples, seed });
    const rows = r.sigma.map((s, i) => `σ ${s}  δE ${pct(r.localEnergy[i])} ± ${pct(r.standardError[i])}`);
    print(flags, r, [`train error ${pct(r.baseError)} on ${trainSamples} images`, ...rows].join('\n'));
  });
}

/**
 * `lowloss train --optimizer adam …` (Adam, PyTorch defaults, lr 1e-3 unless --lr) and
 * `lowloss train --binary …` (binary LeNet5, BinaryNet with Adam; 3 epochs unless --epochs).
 * Flags: the train command's (seed, epochs, lr, momentum, batch, augment, out).
 */
export async function trainGeometry(flags: Flags): Promise<void> {
  const optimizer = flags.optimizer === undefined ? 'sgd' : String(flags.optimizer);
  if (optimizer !== 'sgd' && optimizer !== 'adam')
    throw new Error(`--optimizer must be sgd or adam, got "${optimizer}"`);
  const seed = number(flags, 'seed', 1, { integer: true, min: 0 });
  const batch = number(flags, 'batch', 64, { integer: true, min: 1, max: 60000 });
  const binary = flags.binary === true;
  const epochs = number(flags, 'epochs', binary ? DEFAULT_BINARY_TRAINING.epochs : 1, { min: 0 });
  const lr = number(flags, 'lr', binary ? DEFAULT_BINARY_TRAINING.lr : optimizer === 'adam' ? 1e-3 : 0.01, { min: 0 });
  const momentum = number(flags, 'momentum', 0.9, { min: 0 });
  const out =
    flags.out === undefined
      ? `models/${binary ? 'binary-' : ''}lenet5-${optimizer}-seed${seed}.safetensors`
      : text(flags, 'out');
  const mnist = await setup(flags);
  const model = binary
    ? { kind: 'binary' as const, lr }
    : {
        kind: 'real' as const,
        optimizer: optimizer === 'adam' ? { kind: 'adam' as const, lr } : { kind: 'sgd' as const, lr, momentum },
      };
  const opts = { seed, epochs, batch, model, augment: ['true', '1', true].includes(flags.augment as string) };
  const r = await runTraining(mnist, opts, (line) => console.error(line));
  writeFileEnsuringDir(out, r.file);
  console.error(`wrote ${out}: ${binary ? 'binary LeNet5' : optimizer}, test accuracy ${pct(r.testAccuracy)}`);
}

/** `lowloss eval` for binary files: test loss and accuracy in the eval command's format. */
export async function evalBinary(flags: Flags): Promise<void> {
  const path = text(flags, 'model');
  const { params } = readBinaryLenet5(readBytes(path));
  const mnist = await setup(flags);
  const test = createEvalSet(mnist.test);
  await withSets([test], async () => {
    const m = uploadBinary(params);
    const r = await evaluateBinary(m, test);
    tf.dispose([...m.values()]);
    const json = { testAccuracy: r.accuracy, testLoss: r.loss, samples: test.count, binary: true };
    print(
      flags,
      json,
      `${path}: binary LeNet5, test accuracy ${pct(r.accuracy)}  test loss ${r.loss.toFixed(4)}  (${test.count} images)`,
    );
  });
}

/** True when `--model` names a binary file (so `lowloss eval` can route to evalBinary). */
export function isBinaryModelFlag(flags: Flags): boolean {
  return typeof flags.model === 'string' && isBinaryFile(readBytes(flags.model));
}

/** The commands in main.ts's `{ run, options }` shape. */
export const GEOMETRY_COMMANDS = {
  canon: { run: canon, options: { model: string, out: string, json: flag } },
  compare: { run: compare, options: { a: string, b: string, json: flag } },
  geodesic: {
    run: geodesic,
    options: { a: string, b: string, points: string, 'train-samples': string, linear: flag, json: flag },
  },
  flatness: {
    run: flatness,
    options: { model: string, sigmas: string, samples: string, seed: string, 'train-samples': string, json: flag },
  },
};

/** Extra flags of `lowloss train` for trainGeometry. */
export const TRAIN_GEOMETRY_OPTIONS = { optimizer: string, binary: flag };
