import { fitPca, project, type PcaFit } from '../analysis/pca';

/**
 * Joint per-layer PCA of many runs' snapshots (paper Figure 4, SPEC §5 and §10): for each tensor,
 * the rows of every run together are centred and fitted once, so all paths share one pair of
 * axes; each run keeps its own coordinates, coloured by tick.
 */

/** One run's snapshots of one tensor, in tick order. */
export interface RunRows {
  /** The run's name (its folder). */
  run: string;
  ticks: number[];
  /** One row per tick: the tensor's entries at that tick. */
  rows: Float32Array[];
}

/** A run's place in a tensor's joint PCA. */
export interface RunProjection {
  run: string;
  ticks: number[];
  /** [pc1, pc2] per tick (fewer when the joint fit has fewer axes). */
  coords: number[][];
  /**
   * Share of this run's own spread around the joint mean that each joint axis captures:
   * Σ coord² / Σ ‖row − mean‖² over the run's rows.
   */
  explained: number[];
}

/** One tensor's joint PCA. */
export interface TensorPca {
  /** Entries per row (d). */
  dims: number;
  /** Rows fitted (all runs). */
  points: number;
  /** Explained variance ratio of each joint axis over all runs' rows. */
  explained: number[];
  runs: RunProjection[];
}

/** Fits one tensor's joint PCA over the runs' rows and projects every run. */
export function jointTensorPca(runs: readonly RunRows[], components = 2): TensorPca {
  const all = runs.flatMap((r) => r.rows);
  if (all.length < 2) throw new Error(`joint PCA needs at least two snapshots, got ${all.length}`);
  const fit = fitPca(all, components);
  return {
    dims: all[0].length,
    points: all.length,
    explained: fit.explained,
    runs: runs.map((r) => projectRun(fit, r)),
  };
}

function projectRun(fit: PcaFit, r: RunRows): RunProjection {
  const coords = r.rows.map((row) => project(fit, row));
  let spread = 0;
  for (const row of r.rows) for (let j = 0; j < row.length; j++) spread += (row[j] - fit.mean[j]) ** 2;
  const explained = fit.axes.map((_, c) => {
    const s = coords.reduce((acc, xy) => acc + xy[c] ** 2, 0);
    return spread > 0 ? s / spread : 0;
  });
  return { run: r.run, ticks: [...r.ticks], coords, explained };
}

/** The whole joint PCA: per tensor name, its TensorPca (the CLI's `lowloss pca` output). */
export interface JointPca {
  kind: 'lowloss-joint-pca';
  version: 1;
  runs: string[];
  tensors: Record<string, TensorPca>;
}

/**
 * Joint PCA of every tensor. `rowsOf(tensor)` supplies each run's rows of that tensor, so a host
 * can read one tensor at a time from its snapshot files (fc1.weight rows are 48,000 wide).
 */
export async function jointPca(
  runNames: readonly string[],
  tensorNames: readonly string[],
  rowsOf: (tensor: string) => Promise<RunRows[]> | RunRows[],
  components = 2,
): Promise<JointPca> {
  const tensors: Record<string, TensorPca> = {};
  for (const t of tensorNames) tensors[t] = jointTensorPca(await rowsOf(t), components);
  return { kind: 'lowloss-joint-pca', version: 1, runs: [...runNames], tensors };
}
