import type { EvalSet } from '../data/batches';
import { createRng, deriveSeed, permutation } from '../random';
import { BINARY_LAYERS, binarize, binaryForward, uploadBinary, type BinaryHost } from './model';
import { evaluateBinary } from './train';
import { barrierOf, evenT, type ErrorProfile, type LandscapeSets } from '../geometry/landscape';
import * as tf from '../tf';

/**
 * Distances and paths between binary networks (Pittorino et al. 2022, §6): the Hamming distance
 * replaces the Euclidean one; a path from A to B flips, in a seeded random order, the weights where
 * they differ (at t, the first ⌊t·D⌋ of the D differing weights), with the batch-norm tensors
 * interpolated linearly. No permutation alignment is applied (the raw models are compared).
 */
export interface HammingDistance {
  /** Weights whose signs differ, all layers. */
  count: number;
  /** count / number of binary weights (61,470), 0..1. */
  fraction: number;
  /** Fraction differing per layer. */
  perLayer: Record<string, number>;
}

export function hammingDistance(a: BinaryHost, b: BinaryHost): HammingDistance {
  const [ba, bb] = [binarize(a), binarize(b)];
  let count = 0;
  let total = 0;
  const perLayer: Record<string, number> = {};
  for (const l of BINARY_LAYERS) {
    const [va, vb] = [ba.get(`${l}.weight`)!, bb.get(`${l}.weight`)!];
    let d = 0;
    for (let i = 0; i < va.length; i++) if (va[i] !== vb[i]) d++;
    perLayer[l] = d / va.length;
    count += d;
    total += va.length;
  }
  return { count, fraction: count / total, perLayer };
}

/** The point at t of the flip path from A to B (both binarised). */
export function binaryPathPoint(a: BinaryHost, b: BinaryHost, t: number, seed = 0): BinaryHost {
  const [ba, bb] = [binarize(a), binarize(b)];
  const out: BinaryHost = new Map();
  const differing: Array<[string, number]> = [];
  for (const [n, va] of ba) {
    const vb = bb.get(n)!;
    if (BINARY_LAYERS.some((l) => n === `${l}.weight`)) {
      out.set(n, va.slice());
      for (let i = 0; i < va.length; i++) if (va[i] !== vb[i]) differing.push([n, i]);
    } else
      out.set(
        n,
        Float32Array.from(va, (x, i) => (1 - t) * x + t * vb[i]),
      );
  }
  const order = permutation(differing.length, createRng(deriveSeed(seed, 'binary-path')));
  const flips = Math.floor(t * differing.length + 1e-9);
  for (let k = 0; k < flips; k++) {
    const [n, i] = differing[order[k]];
    out.get(n)![i] = bb.get(n)![i];
  }
  return out;
}

/** 0-1 train and test error along the flip path, with barriers. */
export async function binaryPathProfile(
  a: BinaryHost,
  b: BinaryHost,
  points: number,
  sets: LandscapeSets,
  seed = 0,
): Promise<ErrorProfile> {
  const t = evenT(points);
  const trainError: number[] = [];
  const testError: number[] = [];
  for (const ti of t) {
    const m = uploadBinary(binaryPathPoint(a, b, ti, seed));
    trainError.push(1 - (await evaluateBinary(m, sets.train)).accuracy);
    testError.push(1 - (await evaluateBinary(m, sets.test)).accuracy);
    tf.dispose([...m.values()]);
  }
  return { t, trainError, testError, barrier: barrierOf(t, trainError), testBarrier: barrierOf(t, testError) };
}

/** Test error of a binary host model. */
export async function binaryError(host: BinaryHost, set: EvalSet): Promise<number> {
  const m = uploadBinary(host);
  try {
    return 1 - (await evaluateBinary(m, set)).accuracy;
  } finally {
    tf.dispose([...m.values()]);
  }
}

/** Fraction of the set's images on which two binary models' argmaxes differ. */
export async function binaryFunctionDistance(a: BinaryHost, b: BinaryHost, set: EvalSet): Promise<number> {
  const [ma, mb] = [uploadBinary(a), uploadBinary(b)];
  const differ = tf.tidy(() =>
    tf.addN(
      set.chunks.map((c) => {
        const [pa, pb] = [tf.argMax(binaryForward(ma, c.x), 1), tf.argMax(binaryForward(mb, c.x), 1)];
        return tf.sum(tf.cast(tf.notEqual(pa, pb), 'float32'));
      }),
    ),
  );
  const n = (await differ.data())[0];
  tf.dispose([differ, ...ma.values(), ...mb.values()]);
  return n / set.count;
}
