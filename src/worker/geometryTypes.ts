/**
 * Payloads of the geometry worker's protocol (issue #14; SPEC §7, Pittorino et al. 2022). Types only,
 * no TF.js, so the UI can import them. Errors are fractions in [0, 1]; angles in radians.
 */
import type { Comparison } from '../core/geometry/compare';
import type { ErrorProfile } from '../core/geometry/landscape';
import type { FlatnessResult } from '../core/geometry/flatness';
import type { MemberRow, PairRow } from '../core/geometry/population';

export type { Comparison, ErrorProfile, FlatnessResult, MemberRow, PairRow };

/** A model file as it travels to the worker: safetensors bytes (real LeNet5, or binary for binary jobs). */
export interface ModelFile {
  name: string;
  bytes: ArrayBuffer;
}

/** The population study's recipes (src/core/geometry/optimizers.ts RECIPES). */
export const RECIPE_NAMES = ['sgd-small', 'sgd-large', 'adam'] as const;
export type RecipeName = (typeof RECIPE_NAMES)[number];

/** One layer's block of consecutive spheres in the canonical view's norm arrays. */
export interface LayerSpan {
  layer: string;
  /** Spheres of this layer (its units; fc3 is one sphere). */
  count: number;
}

/** Canonical form of a model and the alignment of a second one to it (SPEC §7). */
export interface CanonicalView {
  name: string;
  /** The layers in the order of the norm arrays (conv1 6, conv2 16, fc1 120, fc2 84, fc3 1). */
  layers: LayerSpan[];
  /** ‖(weights, bias)‖ of every unit before canonicalisation (227 values). */
  normsBefore: Float64Array;
  /** The same after (all 1 up to float rounding). */
  normsAfter: Float64Array;
  /** Raw logits = logitScale × canonical logits (> 0). */
  logitScale: number;
  /** Test images compared (the first ones). */
  testImages: number;
  /** Of those, how many the canonical model predicts exactly as the original. */
  samePredictions: number;
  /** 0-1 test error of the model on those images. */
  testError: number;
  /** B's units permuted to match A (weight matching), when a second model was given. */
  alignment: AlignmentView | null;
}

export interface AlignmentView {
  name: string;
  /** ‖A − B‖ over raw parameters, before and after permuting B to A. */
  l2Before: number;
  l2After: number;
  /** The same between the canonical forms (the geodesic pair). */
  canonicalL2Before: number;
  canonicalL2After: number;
  /** Test images on which the permuted canonical B predicts exactly as B. */
  samePredictions: number;
}

/** Which path an error profile point belongs to. */
export type ProfilePath = 'geodesic' | 'line' | 'chain' | 'binary';

/** δE(σ) of one model, with its test error (for flatness against test error along a path). */
export interface FlatnessRow {
  label: string;
  /** LLPF path tick when the model is a path snapshot, else null. */
  tick: number | null;
  result: FlatnessResult;
  /** 0-1 test error on the job's test images. */
  testError: number;
}

/** Binary LeNet5 pair (Pittorino et al. 2022, §6): Hamming distances and the error along the flip path. */
export interface BinaryComparison {
  /** Weights whose signs differ (of 61,470), raw and after permuting B to A. */
  hamming: number;
  hammingAligned: number;
  /** hamming / 61,470. */
  hammingFraction: number;
  hammingAlignedFraction: number;
  /** Fraction of differing weights per layer (raw). */
  perLayer: Record<string, number>;
  functionDistance: number;
  testErrorA: number;
  testErrorB: number;
  /** Along the flip path from A to aligned B. */
  profile: ErrorProfile;
}

/** A snapshot of a recorded path, sent for flatness along the path. */
export interface PathSnapshotFile {
  tick: number;
  bytes: ArrayBuffer;
}
