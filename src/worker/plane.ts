import {
  alignTo,
  createBaselineSets,
  landscapePlane,
  planeBasis,
  projectOntoPlane,
  type BaselineSets,
} from '../core/baselines';
import type { Mnist } from '../core/data/mnist';
import type { HostParams } from '../core/model/lenet5';
import type { ModelSlots } from './models';
import type { FromWorker, PlaneData, SnapshotMessage, ToWorker } from './protocol';

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

  /** The tap as the `MessagePort` the path runner posts to (it only calls `postMessage`). */
  asPort(): MessagePort {
    return this as unknown as MessagePort;
  }
}

/**
 * The landscape plane of issue #13 in the worker (SPEC §9): the plane through A, B and C, where C
 * is the middle snapshot of the last LLPF path, or B aligned to A when no path has snapshots. A
 * `planeProgress` event per grid row, then `planeDone` with the grid, A/B/C and the path projected.
 */
export class PlaneJobs {
  readonly tap = new SnapshotTap();
  private sets: { samples: number; sets: BaselineSets } | null = null;

  constructor(
    private readonly post: Post,
    private readonly models: ModelSlots,
  ) {}

  async run(msg: PlaneMsg, mnist: Mnist): Promise<void> {
    const t0 = performance.now();
    const a = this.models.require('A', 'load or train model A first').params;
    const b = this.models.require('B', 'load or train model B first').params;
    const { runId, grid, margin } = msg;
    const { ticks, params } = this.tap;
    const mid = Math.floor(params.length / 2);
    const third: PlaneData['third'] = params.length
      ? { kind: 'pathMiddle', tick: ticks[mid] }
      : { kind: 'alignedB', tick: null };
    const c = params.length ? params[mid] : alignTo(a, b).aligned;
    const basis = planeBasis(a, b, c);
    const proj = params.map((p) => projectOntoPlane(basis, p));
    const path = {
      runId: params.length ? this.tap.runId : null,
      tick: [...ticks],
      x: proj.map((p) => p.x),
      y: proj.map((p) => p.y),
      distance: proj.map((p) => p.distance),
    };
    const train = this.setsFor(mnist, msg.samples).train;
    for await (const e of landscapePlane(a, b, c, train, { grid, margin })) {
      if (e.type === 'row') {
        this.post({ v: 1, type: 'planeProgress', runId, iy: e.iy, rows: e.rows, trainLoss: e.trainLoss });
      } else {
        const plane: PlaneData = { ...e.plane, third, path };
        this.post({ v: 1, type: 'planeDone', runId, plane, ms: performance.now() - t0 });
      }
    }
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
