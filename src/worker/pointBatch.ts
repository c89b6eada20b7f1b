import type { PathPoint } from '../core/llpf/pathPoint';
import type { PointColumns } from './protocol';

/**
 * Collects path points and turns them into columns every `intervalMs` at most
 * (SPEC: points batched at most every 100 ms), so the UI gets few, cheap messages.
 */
export class PointBatcher {
  private pending: PathPoint[] = [];
  private lastFlush = 0;

  constructor(
    private readonly tensorNames: string[],
    private readonly groupNames: string[],
    private readonly intervalMs = 100,
  ) {}

  add(p: PathPoint): void {
    this.pending.push(p);
  }

  /** True when a flush is due (time passed and something is pending). */
  due(now: number): boolean {
    return this.pending.length > 0 && now - this.lastFlush >= this.intervalMs;
  }

  /** The pending points as columns (null when none), and their buffers to transfer. */
  flush(now: number): { columns: PointColumns; transfer: ArrayBuffer[] } | null {
    if (!this.pending.length) return null;
    this.lastFlush = now;
    const columns = toColumns(this.pending, this.tensorNames, this.groupNames);
    this.pending = [];
    const transfer = Object.values(columns).filter((v): v is Float32Array | Float64Array => ArrayBuffer.isView(v)).map((v) => v.buffer as ArrayBuffer);
    return { columns, transfer };
  }
}

export function toColumns(points: PathPoint[], tensorNames: string[], groupNames: string[]): PointColumns {
  const n = points.length;
  const T = tensorNames.length;
  const G = groupNames.length;
  const c: PointColumns = {
    count: n,
    tick: new Float64Array(n),
    wallTimeMs: new Float64Array(n),
    rounds: new Float32Array(n),
    trainLoss: new Float32Array(n),
    trainAccuracy: new Float32Array(n),
    testLoss: new Float32Array(n),
    testAccuracy: new Float32Array(n),
    testSamples: new Float32Array(n),
    tensorMetrics: new Float32Array(n * T * 4),
    stepLength: new Float32Array(n * G),
    tickMs: new Float32Array(n),
    sgdMs: new Float32Array(n),
  };
  points.forEach((p, i) => {
    c.tick[i] = p.tick;
    c.wallTimeMs[i] = p.wallTimeMs;
    c.rounds[i] = p.rounds;
    c.trainLoss[i] = p.trainLossMovingAverage ?? NaN;
    c.trainAccuracy[i] = p.trainAccuracy ?? NaN;
    c.testLoss[i] = p.test?.loss ?? NaN;
    c.testAccuracy[i] = p.test?.accuracy ?? NaN;
    c.testSamples[i] = p.test?.samples ?? 0;
    tensorNames.forEach((name, t) => {
      const m = p.tensors[name];
      const o = (i * T + t) * 4;
      c.tensorMetrics[o] = m.distToDest;
      c.tensorMetrics[o + 1] = m.distToOrigin;
      c.tensorMetrics[o + 2] = m.variance;
      c.tensorMetrics[o + 3] = m.cosineToStart;
    });
    groupNames.forEach((g, k) => (c.stepLength[i * G + k] = p.stepLength[g] ?? 0));
    c.tickMs[i] = p.timing.tickMs;
    c.sgdMs[i] = p.timing.sgdMs;
  });
  return c;
}
