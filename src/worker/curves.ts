import { autoNeb, chainLength, chainPath, curveLength, curvePath, trainCurve, type PathFn } from '../core/baselines';
import { createBatchSource, createEvalSet } from '../core/data/batches';
import { takeSplit, type Mnist } from '../core/data/mnist';
import type { HostParams } from '../core/model/lenet5';
import { deriveSeed } from '../core/random';
import type { SessionControl } from '../core/session/control';
import { pump, type BaselineJobs } from './baselines';
import type { ModelSlots } from './models';
import type { FromWorker, ToWorker, TrainedKind } from './protocol';

type CurveMsg = Extract<ToWorker, { type: 'curve' }>;
type AutoNebMsg = Extract<ToWorker, { type: 'autoneb' }>;
type Post = (msg: FromWorker) => void;

/** Training images AutoNEB measures the loss between pivots on, to choose where to insert one. */
export const AUTONEB_INSERT_IMAGES = 1000;
/** Progress events: one every this many SGD steps (curves) or relaxation steps (AutoNEB). */
const REPORT_EVERY = 10;

/** A trained baseline kept for the landscape plane: its path, and its bend or pivots. */
export interface HeldPath {
  /** `ModelSlots.version` of the endpoints it was built on. */
  version: number;
  path: PathFn;
  /** The bend θ₁ (curves) or every pivot, A and B included (AutoNEB). */
  knots: HostParams[];
}

/**
 * The trained baselines of issue #13 in the worker (SPEC §9): the quadratic Bezier and polychain
 * curves of Garipov et al. 2018 (a bend trained with t ~ U(0, 1) per mini-batch) and AutoNEB
 * (Draxler et al. 2018), live as `trainedProgress` events, then evaluated at evenly spaced t like
 * the straight lines (`baselineProgress`, `baselineDone`). The last path of each kind is kept
 * for the plane.
 */
export class TrainedJobs {
  readonly held = new Map<TrainedKind, HeldPath>();

  constructor(
    private readonly post: Post,
    private readonly models: ModelSlots,
    private readonly baselines: BaselineJobs,
  ) {}

  async curve(msg: CurveMsg, mnist: Mnist, control: SessionControl): Promise<void> {
    const t0 = performance.now();
    const { a, b } = this.models.endpoints();
    const version = this.models.version;
    const { runId, kind, steps, lr, seed } = msg;
    const batches = createBatchSource(mnist.train, { batchSize: 64, seed: deriveSeed(seed, 'curve-batches') });
    const out: { bend: HostParams | null } = { bend: null };
    try {
      const opts = { kind, steps, lr, momentum: 0.9, seed: deriveSeed(seed, 'curve-t'), reportEvery: REPORT_EVERY };
      const ok = await pump(trainCurve(a, b, batches, opts), control, (e) => {
        if (e.type === 'done') out.bend = e.bend;
        else {
          const { step, totalSteps, loss } = e;
          this.post({ v: 1, type: 'trainedProgress', runId, kind, step, totalSteps, loss, pivots: null });
        }
      });
      if (!ok) return this.baselines.stopped(runId);
    } finally {
      batches.dispose();
    }
    const bend = out.bend;
    if (!bend) throw new Error(`${kind}: training ended without a bend`);
    const path = curvePath(kind, a, bend, b);
    const built = { length: curveLength(kind, a, bend, b), sgdSteps: steps, t0 };
    if (await this.baselines.evaluate(msg, kind, path, mnist, control, built))
      this.held.set(kind, { version, path, knots: [bend] });
  }

  async autoneb(msg: AutoNebMsg, mnist: Mnist, control: SessionControl): Promise<void> {
    const t0 = performance.now();
    const { a, b } = this.models.endpoints();
    const version = this.models.version;
    const { runId, pivots: n0, cycles, stepsPerCycle, lr, seed } = msg;
    // Every relaxation step takes one mini-batch gradient per interior pivot; one pivot is added per cycle.
    const totalSteps = stepsPerCycle * Array.from({ length: cycles }, (_, c) => n0 + c).reduce((s, n) => s + n, 0);
    // Each pivot's position along the chain when placed: evenly spaced, then midpoints of the segment split.
    const at = Array.from({ length: n0 + 2 }, (_, i) => i / (n0 + 1));
    const batches = createBatchSource(mnist.train, { batchSize: 64, seed: deriveSeed(seed, 'autoneb-batches') });
    const insertSet = createEvalSet(takeSplit(mnist.train, AUTONEB_INSERT_IMAGES));
    const out: { chain: HostParams[] | null; sgdSteps: number } = { chain: null, sgdSteps: 0 };
    try {
      const opts = { pivots: n0, cycles, stepsPerCycle, lr, reportEvery: REPORT_EVERY };
      const ok = await pump(autoNeb(a, b, batches, insertSet, opts), control, (e) => {
        if (e.type === 'insert') at.splice(e.segment + 1, 0, (at[e.segment] + at[e.segment + 1]) / 2);
        else if (e.type === 'done') Object.assign(out, { chain: e.pivots, sgdSteps: e.sgdSteps });
        else {
          const loss = e.pivotLoss.reduce((s, l) => s + l, 0) / e.pivotLoss.length;
          const pivots = { t: at.slice(1, -1), loss: e.pivotLoss };
          this.post({
            v: 1,
            type: 'trainedProgress',
            runId,
            kind: 'autoneb',
            step: e.sgdSteps,
            totalSteps,
            loss,
            pivots,
          });
        }
      });
      if (!ok) return this.baselines.stopped(runId);
    } finally {
      batches.dispose();
      insertSet.dispose();
    }
    const { chain, sgdSteps } = out;
    if (!chain) throw new Error('autoneb: relaxation ended without a chain');
    const path = chainPath(chain);
    const built = { length: chainLength(chain), sgdSteps, t0 };
    if (await this.baselines.evaluate(msg, 'autoneb', path, mnist, control, built))
      this.held.set('autoneb', { version, path, knots: chain });
  }
}
