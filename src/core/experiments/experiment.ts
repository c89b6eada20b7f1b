import type { Mode } from '../config';
import type { PhasedConfig } from '../llpf/phases';

/**
 * An experiment (paper Figures 2–4, SPEC §10): the same LLPF path run for N pairs of endpoints
 * trained from seeds. This module is the plan: which pairs exist, their seeds, and which of them a
 * shard runs. Pure, no I/O.
 */
export interface ExperimentPlan {
  mode: Mode;
  /** N: pairs (paper: 200 paths for LeNet5). */
  pairs: number;
  /** Epochs of endpoint training per model (paper Table 3: 20; fewer for a quick look). */
  epochs: number;
  /** Endpoint seeds start after this (pair k: seedBase + 2k − 1 → seedBase + 2k in M2M). */
  seedBase: number;
  /** The path config every pair runs (pair k's mini-batch seed is config.seed + k − 1). */
  config: PhasedConfig;
}

/** One pair of an experiment. */
export interface PairSpec {
  /** k, 1-based: the folder is pair-k. */
  index: number;
  /** Seed of model A (the path's start). */
  startSeed: number;
  /** Seed of model B (M2M); null for M2O, whose destination is the origin. */
  destSeed: number | null;
  /** The path config of this pair (its own mini-batch seed). */
  config: PhasedConfig;
}

/** The folder of pair k inside the experiment folder. */
export const pairDir = (index: number): string => `pair-${index}`;

/** The N pairs of a plan. M2M: A = seedBase + 2k − 1, B = seedBase + 2k; M2O: A = seedBase + k. */
export function pairSpecs(plan: ExperimentPlan): PairSpec[] {
  return Array.from({ length: plan.pairs }, (_, i) => {
    const k = i + 1;
    const m2m = plan.mode === 'm2m';
    return {
      index: k,
      startSeed: plan.seedBase + (m2m ? 2 * k - 1 : k),
      destSeed: m2m ? plan.seedBase + 2 * k : null,
      config: { ...plan.config, mode: plan.mode, seed: plan.config.seed + i },
    };
  });
}

/** Shard K of N (1-based K): runs pairs k with (k − 1) mod N = K − 1 (round-robin, so shards balance). */
export interface Shard {
  index: number;
  count: number;
  /** Where it came from: the flag or an environment variable. */
  source: string;
}

/** Parses `--shard K/N` (1 ≤ K ≤ N). */
export function parseShard(text: string, source = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && index >= 1 && index <= count)) throw new Error(`${source}: "${text}" is not K/N with 1 ≤ K ≤ N`);
  return { index, count, source };
}

/** The environment variable that gives the shard count of a Kubernetes Indexed Job (set it to `.spec.completions`). */
export const K8S_SHARD_COUNT_ENV = 'LOWLOSS_SHARD_COUNT';

/**
 * The shard of a batch-scheduler task, from its environment (docs/EXPERIMENTS.md):
 * - Slurm job array: SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN (so `--array=0-9` and `--array=1-10`
 *   both work; the array must be contiguous with step 1) of SLURM_ARRAY_TASK_COUNT shards;
 * - Kubernetes Indexed Job: JOB_COMPLETION_INDEX (0-based) of LOWLOSS_SHARD_COUNT shards (Kubernetes
 *   does not expose the completion count itself, so the Job sets it).
 * Null when neither is present.
 */
export function shardFromEnv(env: Readonly<Record<string, string | undefined>>): Shard | null {
  const int = (name: string): number => {
    const v = env[name];
    const n = Number(v);
    if (v === undefined || v.trim() === '' || !Number.isInteger(n) || n < 0)
      throw new Error(`${name}="${v}" is not a count`);
    return n;
  };
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const id = int('SLURM_ARRAY_TASK_ID');
    const min = env.SLURM_ARRAY_TASK_MIN !== undefined ? int('SLURM_ARRAY_TASK_MIN') : 0;
    const count = int('SLURM_ARRAY_TASK_COUNT');
    return parseShard(`${id - min + 1}/${count}`, 'SLURM_ARRAY_TASK_ID');
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    if (env[K8S_SHARD_COUNT_ENV] === undefined)
      throw new Error(`JOB_COMPLETION_INDEX is set but ${K8S_SHARD_COUNT_ENV} is not`);
    return parseShard(`${int('JOB_COMPLETION_INDEX') + 1}/${int(K8S_SHARD_COUNT_ENV)}`, 'JOB_COMPLETION_INDEX');
  }
  return null;
}

/** The pairs one shard runs (all of them without a shard). */
export function pairsOfShard<T extends { index: number }>(pairs: readonly T[], shard: Shard | null): T[] {
  if (!shard) return [...pairs];
  return pairs.filter((p) => (p.index - 1) % shard.count === shard.index - 1);
}

/** The endpoint model file of a seed, cached in the experiment folder and shared by every pair and shard. */
export const endpointFile = (seed: number, epochs: number): string =>
  `models/lenet5-seed${seed}-${epochs}ep.safetensors`;
