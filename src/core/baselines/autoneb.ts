import * as tf from '../tf';
import type { HostParams } from '../model/lenet5';
import type { BatchSource } from '../data/batches';
import { evaluate } from '../train/evaluate';
import type { EvalSet } from '../data/batches';
import { combine, distance, flatLossGrad, flatten, unflatten } from './flat';
import { Probe, type PathFn } from './pathEval';

/**
 * AutoNEB (Draxler et al. 2018, after the nudged elastic band of Jónsson et al. 1998), SPEC §9:
 * pivots on the line A → B relaxed by the loss gradient's component perpendicular to the path
 * tangent plus a spring along it; after each cycle a pivot is inserted where the loss between
 * neighbours is highest. Gradients are mini-batch gradients (one batch per pivot per step).
 */
export interface AutoNebOptions {
  /** Interior pivots to start with, evenly spaced on the line (default 3). */
  pivots?: number;
  /** Relaxation cycles; a pivot is inserted after each but the last (default 4). */
  cycles?: number;
  /** Relaxation steps per cycle (default 50). */
  stepsPerCycle?: number;
  /** Learning rate (default 0.01) and momentum (default 0.9) of the pivots' descent. */
  lr?: number;
  momentum?: number;
  /** Spring constant k of the force k·(‖p₊−p‖ − ‖p−p₋‖)·τ along the tangent (default 1). */
  spring?: number;
  /** Emit a relaxation event (one read-back) every this many steps (default 10). */
  reportEvery?: number;
  /** TF.js autodiff even where the LeNet5 kernel runs (flatLossGrad; for benchmarks and tests). */
  autodiff?: boolean;
}

export type AutoNebEvent =
  | {
      type: 'relax';
      cycle: number;
      /** Step within the cycle, of `stepsPerCycle`. */
      step: number;
      stepsPerCycle: number;
      /** Mean mini-batch loss at each interior pivot since the last event. */
      pivotLoss: number[];
      /** SGD steps (pivot gradients) spent so far. */
      sgdSteps: number;
    }
  | {
      type: 'insert';
      cycle: number;
      /** The new pivot sits at the midpoint of segment `segment` (pivot i to i+1, A = pivot 0). */
      segment: number;
      /** Loss at that midpoint on the insertion set. */
      loss: number;
      /** Losses at every pivot (A and B included) on the insertion set. */
      pivotLoss: number[];
      pivots: number;
    }
  | { type: 'done'; pivots: HostParams[]; sgdSteps: number };

/** ‖x‖ over a flat device vector. */
const norm = (x: tf.Tensor) => tf.norm(x);

/** One NEB step for interior pivot i of the chain (device side, no read-back). */
function nebStep(
  chain: tf.Variable[],
  velocity: tf.Variable[],
  i: number,
  x: tf.Tensor4D,
  y: tf.Tensor2D,
  lr: number,
  mu: number,
  k: number,
  kernel: boolean,
): tf.Scalar {
  return tf.tidy(() => {
    const p = chain[i];
    const { value, grad: g } = flatLossGrad(p as tf.Tensor1D, { x, y }, kernel);
    const next = tf.sub(chain[i + 1], p);
    const prev = tf.sub(p, chain[i - 1]);
    const span = tf.sub(chain[i + 1], chain[i - 1]);
    const tau = tf.div(span, tf.maximum(norm(span), 1e-12));
    const perp = tf.sub(g, tf.mul(tf.sum(tf.mul(g, tau)), tau));
    const springForce = tf.mul(tf.mul(tf.sub(norm(next), norm(prev)), k), tau);
    const d = tf.sub(perp, springForce); // descend on perp gradient, follow the spring
    velocity[i].assign(tf.add(tf.mul(velocity[i], mu), d));
    p.assign(tf.sub(p, tf.mul(velocity[i], lr)));
    return value as tf.Scalar;
  });
}

/** Piecewise-linear path through the pivots, t proportional to arc length. */
export function chainPath(pivots: HostParams[]): PathFn {
  const flat = pivots.map(flatten);
  const cum = [0];
  for (let i = 1; i < flat.length; i++) cum.push(cum[i - 1] + distance(flat[i - 1], flat[i]));
  const total = cum[cum.length - 1] || 1;
  return (t) => {
    const s = Math.min(Math.max(t, 0), 1) * total;
    let i = 0;
    while (i < flat.length - 2 && cum[i + 1] < s) i++;
    const seg = cum[i + 1] - cum[i] || 1;
    const w = Math.min(Math.max((s - cum[i]) / seg, 0), 1);
    return combine([
      [1 - w, flat[i]],
      [w, flat[i + 1]],
    ]);
  };
}

/** Length of the chain in parameter space: Σ ‖p_{i+1} − p_i‖. */
export function chainLength(pivots: HostParams[]): number {
  const flat = pivots.map(flatten);
  let s = 0;
  for (let i = 1; i < flat.length; i++) s += distance(flat[i - 1], flat[i]);
  return s;
}

/** AutoNEB between A and B; `insertSet` (e.g. the first 1,000 training images) picks where pivots go. */
export async function* autoNeb(
  a: HostParams,
  b: HostParams,
  batches: BatchSource,
  insertSet: EvalSet,
  opts: AutoNebOptions = {},
): AsyncGenerator<AutoNebEvent, void, void> {
  const cycles = opts.cycles ?? 4;
  const steps = opts.stepsPerCycle ?? 50;
  const [lr, mu, k] = [opts.lr ?? 0.01, opts.momentum ?? 0.9, opts.spring ?? 1];
  const every = opts.reportEvery ?? 10;
  const n0 = opts.pivots ?? 3;
  const fa = flatten(a);
  const fb = flatten(b);
  const chain: tf.Variable[] = [];
  const velocity: tf.Variable[] = [];
  const add = (at: number, values: Float32Array) => {
    // Variables made inside tidy, so their initial tensors are freed.
    chain.splice(
      at,
      0,
      tf.tidy(() => tf.variable(tf.tensor1d(values), true)),
    );
    velocity.splice(
      at,
      0,
      tf.tidy(() => tf.variable(tf.zeros([values.length]), false)),
    );
  };
  for (let i = 0; i <= n0 + 1; i++)
    add(
      i,
      combine([
        [1 - i / (n0 + 1), fa],
        [i / (n0 + 1), fb],
      ]),
    );
  const probe = new Probe(a);
  let sgdSteps = 0;
  // Mini-batch losses summed on the device, read back once per event (SPEC §8).
  let sums: tf.Tensor | null = null;
  try {
    for (let cycle = 1; cycle <= cycles; cycle++) {
      let since = 0;
      for (let step = 1; step <= steps; step++) {
        const losses: tf.Scalar[] = [];
        for (let i = 1; i < chain.length - 1; i++) {
          const batch = batches.next();
          losses.push(nebStep(chain, velocity, i, batch.x, batch.y, lr, mu, k, !opts.autodiff));
          tf.dispose([batch.x, batch.y]);
          sgdSteps++;
        }
        const prev: tf.Tensor | null = sums;
        sums = tf.tidy(() => (prev ? tf.add(prev, tf.stack(losses)) : tf.stack(losses)));
        tf.dispose([...losses, ...(prev ? [prev] : [])]);
        since++;
        if (step % every === 0 || step === steps) {
          const values = Array.from(await sums.data());
          tf.dispose(sums);
          sums = null;
          yield { type: 'relax', cycle, step, stepsPerCycle: steps, pivotLoss: values.map((s) => s / since), sgdSteps };
          since = 0;
        }
      }
      if (cycle === cycles) break;
      // Insert a pivot at the midpoint of the segment whose midpoint loss is highest.
      const host = await Promise.all(chain.map(async (v) => (await v.data()) as Float32Array));
      const lossAt = async (flat: Float32Array) => {
        probe.set(unflatten(flat));
        return (await evaluate(probe.params, insertSet)).loss;
      };
      const pivotLoss: number[] = [];
      for (const h of host) pivotLoss.push(await lossAt(h));
      let best = { segment: 0, loss: -Infinity, mid: host[0] };
      for (let i = 0; i + 1 < host.length; i++) {
        const mid = combine([
          [0.5, host[i]],
          [0.5, host[i + 1]],
        ]);
        const loss = await lossAt(mid);
        if (loss > best.loss) best = { segment: i, loss, mid };
      }
      add(best.segment + 1, best.mid);
      yield { type: 'insert', cycle, segment: best.segment, loss: best.loss, pivotLoss, pivots: chain.length };
    }
    const pivots = await Promise.all(chain.map(async (v) => unflatten((await v.data()) as Float32Array)));
    yield { type: 'done', pivots, sgdSteps };
  } finally {
    probe.dispose();
    tf.dispose([...chain, ...velocity, ...(sums ? [sums] : [])]);
  }
}
