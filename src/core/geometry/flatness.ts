import * as tf from '../tf';
import { LENET5, correctCount, forward, type HostParams } from '../model/lenet5';
import type { EvalSet } from '../data/batches';
import { createRng, deriveSeed } from '../random';
import { disposeModel, upload } from './errors';

/**
 * Local energy, the flatness measure of Pittorino et al. 2022 (§3; SPEC §7):
 * δE(σ) = E_z[E_train(w ⊙ (1 + σz))] − E_train(w), z ~ N(0, I), E_train the 0-1 error on a fixed
 * training subset, averaged over M seeded noise draws. The noise is multiplicative, so it commutes
 * with the per-unit rescaling of the canonical form: with the same seeds, a model and its canonical
 * form get the same δE (up to float rounding). Draw m uses the same z at every σ (common random
 * numbers), so the curve is smooth in σ.
 */
export interface FlatnessOptions {
  /** Noise levels σ (relative, dimensionless). */
  sigmas: readonly number[];
  /** M, noise draws per σ. */
  samples: number;
  /** Seed of the noise draws. */
  seed: number;
}

export interface FlatnessResult {
  sigma: number[];
  /** δE(σ), fraction (mean over the M draws). */
  localEnergy: number[];
  /** Standard error of the mean of δE(σ) over the draws. */
  standardError: number[];
  /** E_train(w) of the unperturbed model on the subset. */
  baseError: number;
}

export const DEFAULT_SIGMAS = [0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5];

/** Standard normal noise of draw m for every parameter, seeded. */
export function noiseDraw(seed: number, m: number): Map<string, Float32Array> {
  const rng = createRng(deriveSeed(seed, `flatness:${m}`));
  return new Map(
    LENET5.map((p) => [p.name, Float32Array.from({ length: p.shape.reduce((a, b) => a * b, 1) }, () => rng.normal())]),
  );
}

/** δE(σ) of one model on a training subset. */
export async function localEnergy(host: HostParams, set: EvalSet, opts: FlatnessOptions): Promise<FlatnessResult> {
  if (!Number.isInteger(opts.samples) || opts.samples < 1)
    throw new Error(`samples must be an integer ≥ 1, got ${opts.samples}`);
  const w = upload(host);
  const errors: number[][] = opts.sigmas.map(() => []);
  let baseError = 0;
  try {
    baseError = (await errorsAt(w, null, [0], set))[0];
    for (let m = 0; m < opts.samples; m++) {
      const z = upload(noiseDraw(opts.seed, m));
      try {
        const e = await errorsAt(w, z, opts.sigmas, set);
        e.forEach((v, i) => errors[i].push(v - baseError));
      } finally {
        disposeModel(z);
      }
    }
  } finally {
    disposeModel(w);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const se = (xs: number[]) => {
    if (xs.length < 2) return 0;
    const mu = mean(xs);
    return Math.sqrt(xs.reduce((a, b) => a + (b - mu) ** 2, 0) / (xs.length - 1) / xs.length);
  };
  return { sigma: [...opts.sigmas], localEnergy: errors.map(mean), standardError: errors.map(se), baseError };
}

/** δE(σ) for each model of a path (e.g. the snapshots of an M2O run, Snapshot.tensors). */
export async function localEnergyAlong(
  models: Iterable<HostParams | Record<string, Float32Array>>,
  set: EvalSet,
  opts: FlatnessOptions,
): Promise<FlatnessResult[]> {
  const out: FlatnessResult[] = [];
  for (const m of models) out.push(await localEnergy(m instanceof Map ? m : new Map(Object.entries(m)), set, opts));
  return out;
}

/** 0-1 error of w ⊙ (1 + σz) at each σ (z = null: the model itself), one readback. */
async function errorsAt(
  w: Map<string, tf.Tensor>,
  z: Map<string, tf.Tensor> | null,
  sigmas: readonly number[],
  set: EvalSet,
) {
  const hits = tf.tidy(() =>
    tf.stack(
      sigmas.map((s) => {
        const p = z ? new Map([...w].map(([n, t]) => [n, tf.mul(t, tf.add(1, tf.mul(z.get(n)!, s)))])) : w;
        return tf.addN(set.chunks.map((c) => correctCount(forward(p, c.x), c.y)));
      }),
    ),
  );
  const h = await hits.data();
  hits.dispose();
  return Array.from(h, (v) => 1 - v / set.count);
}
