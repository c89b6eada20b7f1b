import type { HostParams } from '../model/lenet5';
import type { EvalSet } from '../data/batches';
import { canonicalPair } from './compare';
import { disposeModel, errorRate, functionDistance, upload } from './errors';
import { geodesicDistance } from './geodesic';
import { localEnergy, type FlatnessOptions, type FlatnessResult } from './flatness';
import { geodesicProfile } from './landscape';

/**
 * The paper's central comparison at LeNet5 scale (Pittorino et al. 2022, §5; SPEC §7): for a
 * population of minimisers from different optimisers, flatness (local energy), test error, and for
 * every pair the geodesic and function-space distances and the error barrier along the geodesic.
 * Claims: flatter minima generalise better, are closer in function space, and are joined by
 * geodesics with smaller barriers.
 */
export interface PopulationMember {
  /** Display name ("adam-seed1"). */
  name: string;
  /** Which recipe produced it ("sgd-b64", "sgd-b1000", "adam-b64"). */
  recipe: string;
  params: HostParams;
}

export interface MemberRow {
  name: string;
  recipe: string;
  /** 0-1 test error (fraction). */
  testError: number;
  /** 0-1 error on the flatness training subset (fraction). */
  trainError: number;
  /** The δE(σ) curve. */
  flatness: FlatnessResult;
}

export interface PairRow {
  a: string;
  b: string;
  /** Geodesic distance between canonical aligned models (radians). */
  geodesic: number;
  /** Fraction of test images with different predictions. */
  functionDistance: number;
  /** Train-error barrier along the geodesic (fraction). */
  barrier: number;
  /** Test-error barrier along the geodesic (fraction). */
  testBarrier: number;
}

export interface PopulationTable {
  members: MemberRow[];
  pairs: PairRow[];
}

export interface PopulationSets {
  /** Fixed training subset for the local energy. */
  flatnessTrain: EvalSet;
  /** Training subset for the error along geodesics. */
  landscapeTrain: EvalSet;
  test: EvalSet;
}

export async function populationStudy(
  members: readonly PopulationMember[],
  sets: PopulationSets,
  opts: { flatness: FlatnessOptions; geodesicPoints: number; onRow?: (row: MemberRow | PairRow) => void },
): Promise<PopulationTable> {
  const rows: MemberRow[] = [];
  for (const m of members) {
    const d = upload(m.params);
    const testError = await errorRate(d, sets.test);
    disposeModel(d);
    const flatness = await localEnergy(m.params, sets.flatnessTrain, opts.flatness);
    const row = { name: m.name, recipe: m.recipe, testError, trainError: flatness.baseError, flatness };
    rows.push(row);
    opts.onRow?.(row);
  }
  const pairs: PairRow[] = [];
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      const [a, b] = [members[i], members[j]];
      const c = canonicalPair(a.params, b.params);
      const [da, db] = [upload(a.params), upload(b.params)];
      const fd = await functionDistance(da, db, sets.test);
      [da, db].forEach(disposeModel);
      const p = await geodesicProfile(c.a, c.b, opts.geodesicPoints, { train: sets.landscapeTrain, test: sets.test });
      const row = {
        a: a.name,
        b: b.name,
        geodesic: geodesicDistance(c.a, c.b),
        functionDistance: fd,
        barrier: p.barrier,
        testBarrier: p.testBarrier,
      };
      pairs.push(row);
      opts.onRow?.(row);
    }
  }
  return { members: rows, pairs };
}

/** Pearson correlation, for summarising a table (NaN with fewer than 2 points or no spread). */
export function correlation(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
