import { describe, expect, it } from 'vitest';
import {
  pairSpecs,
  pairsOfShard,
  parseShard,
  shardFromEnv,
  type ExperimentPlan,
} from '../../../src/core/experiments/experiment';
import { presetFor } from '../../../src/core/config';

const plan = (mode: 'm2m' | 'm2o', pairs: number): ExperimentPlan => ({
  mode,
  pairs,
  epochs: 1,
  seedBase: 100,
  config: { ...presetFor('quick', mode), seed: 5 },
});

describe('experiment plan and shards', () => {
  it('pairs: M2M seeds 2k − 1 → 2k, M2O seeds k, each with its own batch seed', () => {
    const m2m = pairSpecs(plan('m2m', 3));
    expect(m2m.map((p) => [p.index, p.startSeed, p.destSeed, p.config.seed])).toEqual([
      [1, 101, 102, 5],
      [2, 103, 104, 6],
      [3, 105, 106, 7],
    ]);
    expect(pairSpecs(plan('m2o', 2)).map((p) => [p.startSeed, p.destSeed, p.config.mode])).toEqual([
      [101, null, 'm2o'],
      [102, null, 'm2o'],
    ]);
  });

  it('shards split the pairs round-robin, every pair in exactly one shard', () => {
    const pairs = pairSpecs(plan('m2m', 10));
    const shards = [1, 2, 3].map((k) => pairsOfShard(pairs, parseShard(`${k}/3`)).map((p) => p.index));
    expect(shards).toEqual([
      [1, 4, 7, 10],
      [2, 5, 8],
      [3, 6, 9],
    ]);
    expect(pairsOfShard(pairs, null)).toHaveLength(10);
    expect(pairsOfShard(pairs, parseShard('5/20')).map((p) => p.index)).toEqual([5]);
    expect(pairsOfShard(pairs, parseShard('15/20'))).toEqual([]);
    for (const bad of ['0/3', '4/3', '1', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(/K\/N/);
  });

  it('reads Slurm array and Kubernetes Indexed Job environments', () => {
    expect(shardFromEnv({})).toBeNull();
    const slurm = shardFromEnv({ SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '4' });
    expect([slurm?.index, slurm?.count]).toEqual([1, 4]);
    const slurm1 = shardFromEnv({ SLURM_ARRAY_TASK_ID: '10', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '10' });
    expect([slurm1?.index, slurm1?.count, slurm1?.source]).toEqual([10, 10, 'SLURM_ARRAY_TASK_ID']);
    const k8s = shardFromEnv({ JOB_COMPLETION_INDEX: '2', LOWLOSS_SHARD_COUNT: '8' });
    expect([k8s?.index, k8s?.count]).toEqual([3, 8]);
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '2' })).toThrow(/LOWLOSS_SHARD_COUNT/);
    expect(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '3' })).toThrow(/K\/N/);
  });
});
