import {
  alignTo,
  createBaselineSets,
  distance,
  evenlySpaced,
  flatten,
  landscapePlane,
  planeAxes,
  planeBasis,
  projectOntoPlane,
  type BaselineSets,
  type PlaneBasis,
} from '../core/baselines';
import type { Mnist } from '../core/data/mnist';
import type { HostParams } from '../core/model/lenet5';
import type { SessionControl } from '../core/session/control';
import { pump } from './baselines';
import type { HeldPath } from './curves';
import type { ModelSlots } from './models';
import type { FromWorker, PlaneCurve, PlaneData, PlaneTrace, SnapshotMessage, ToWorker, TrainedKind } from './protocol';

type PlaneMsg = Extract<ToWorker, { type: 'plane' }>;
type Post = (msg: FromWorker) => void;

/** Snapshots kept per path: past this, every other one is dropped (about 250 kB each for LeNet5). */
const MAX_SNAPSHOTS = 128;

/**
 * Keeps a copy of the last LLPF path's snapshots for the landscape plane, then passes each one on
 * to the PCA worker's port (if any). The path runner posts snapshots to `Runs.pcaPort`; the engine
 * puts this tap there, so no other worker code changes.
 */
export class SnapshotTap {
  target: MessagePort | null = null;
  runId: string | null = null;
  ticks: number[] = [];
  params: HostParams[] = [];

  postMessage(msg: SnapshotMessage, transfer: Transferable[] = []): void {
    if (msg.runId !== this.runId) {
      this.runId = msg.runId;
      this.ticks = [];
      this.params = [];
    }
    this.ticks.push(msg.tick);
    this.params.push(new Map(Object.entries(msg.tensors).map(([n, v]) => [n, Float32Array.from(v)])));
    if (this.ticks.length > MAX_SNAPSHOTS) {
      this.ticks = this.ticks.filter((_, i) => i % 2 === 0);
      this.params = this.params.filter((_, i) => i % 2 === 0);
    }
    this.target?.postMessage(msg, transfer);
  }

  /** Forgets the snapshots (the endpoints changed: the path no longer joins them). */
  clear(): void {
    this.runId = null;
    this.ticks = [];
    this.params = [];
  }

  /** The tap as the `MessagePort` the path runner posts to (it only calls `postMessage`). */
  asPort(): MessagePort {
    return this as unknown as MessagePort;
  }
}

/** Positions a trained curve is drawn at on the plane. */
const CURVE_SAMPLES = 33;

/**
 * The landscape plane of issue #13 in the worker (SPEC §9): the plane through A, B and C, where C
 * is the middle snapshot of the last LLPF path, or B aligned to A when no path has snapshots.
 * `planeStarted` with the axes and every path projected (the LLPF snapshots, the trained curves
 * and the AutoNEB chain on the same endpoints), a `planeProgress` event per grid row, then
 * `planeDone` with the grid. Stops between rows on request.
 */
export class PlaneJobs {
  readonly tap = new SnapshotTap();
  private sets: { samples: number; sets: BaselineSets } | null = null;

  constructor(
    private readonly post: Post,
    private readonly models: ModelSlots,
    private readonly trained: ReadonlyMap<TrainedKind, HeldPath>,
  ) {}

  async run(msg: PlaneMsg, mnist: Mnist, control: SessionControl): Promise<void> {
    const t0 = performance.now();
    const { a, b } = this.models.endpoints();
    const { runId, grid, margin } = msg;
    const { ticks, params } = this.tap;
    const mid = Math.floor(params.length / 2);
    const third: PlaneData['third'] = params.length
      ? { kind: 'pathMiddle', tick: ticks[mid] }
      : { kind: 'alignedB', tick: null };
    const c = params.length ? params[mid] : alignTo(a, b).aligned;
    const basis = planeBasis(a, b, c);
    const flat = params.map(flatten);
    let length = 0;
    for (let i = 1; i < flat.length; i++) length += distance(flat[i - 1], flat[i]);
    const path = { runId: params.length ? this.tap.runId : null, tick: [...ticks], length, ...project(basis, flat) };
    const { x, y } = planeAxes(basis, grid, margin);
    const train = this.setsFor(mnist, msg.samples).train;
    const points = { A: [0, 0], B: [basis.d, 0], C: [basis.cx, basis.h] } as PlaneData['points'];
    const curves = this.curves(basis);
    const geometry = { x, y, points, samples: train.count, third, path, curves };
    this.post({ v: 1, type: 'planeStarted', runId, geometry });
    const ok = await pump(landscapePlane(a, b, c, train, { grid, margin }), control, (e) => {
      if (e.type === 'row') {
        this.post({ v: 1, type: 'planeProgress', runId, iy: e.iy, rows: e.rows, trainLoss: e.trainLoss });
      } else {
        const plane: PlaneData = { ...e.plane, ...geometry, trainLoss: e.plane.trainLoss };
        this.post({ v: 1, type: 'planeDone', runId, plane, ms: performance.now() - t0 });
      }
    });
    if (!ok) this.post({ v: 1, type: 'runState', runId, state: 'stopped' });
  }

  /** The trained baselines built on the current endpoints, projected (sampled at evenly spaced t). */
  private curves(basis: PlaneBasis): PlaneCurve[] {
    const out: PlaneCurve[] = [];
    for (const [kind, held] of this.trained) {
      if (held.version !== this.models.version) continue;
      const t = evenlySpaced(CURVE_SAMPLES);
      out.push({ kind, t, ...project(basis, t.map(held.path)), knots: project(basis, held.knots.map(flatten)) });
    }
    return out;
  }

  private setsFor(mnist: Mnist, samples: number): BaselineSets {
    const count = Math.min(samples, mnist.train.count);
    if (this.sets?.samples !== count) {
      this.sets?.sets.dispose();
      this.sets = { samples: count, sets: createBaselineSets(mnist, count, false) };
    }
    return this.sets.sets;
  }
}

/** Flat models projected onto the plane, as columns. */
function project(basis: PlaneBasis, flat: Float32Array[]): PlaneTrace {
  const p = flat.map((f) => projectOntoPlane(basis, f));
  return { x: p.map((q) => q.x), y: p.map((q) => q.y), distance: p.map((q) => q.distance) };
}
