import { columnBuffers, packPoints, type PathPoint, type PointColumns } from '../core/llpf/pathPoint';

/**
 * Collects path points and packs them into columns (the point schema's layout) every `intervalMs`
 * at most, so the UI gets few, cheap messages with transferable buffers.
 */
export class PointBatcher {
  private pending: PathPoint[] = [];
  private lastFlush = 0;

  constructor(
    private readonly tensorNames: readonly string[],
    private readonly groupNames: readonly string[],
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
    const columns = packPoints(this.pending, this.tensorNames, this.groupNames);
    this.pending = [];
    return { columns, transfer: columnBuffers(columns) };
  }
}
