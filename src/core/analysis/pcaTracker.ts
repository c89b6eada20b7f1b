import { alignSigns, dot, fitPca, fitWithGram, ML_PCA_MAX_COLUMNS, project, type PcaFit } from './pca';

/** The 2-D picture of one tensor's path, as the UI draws it. */
export interface PcaView {
  ticks: Float64Array;
  /** n × 2 coordinates, row-major. */
  coords: Float32Array;
  explained: number[];
  /** True when the axes were refitted for this view (else new points were projected on the old axes). */
  refit: boolean;
}

/**
 * Live PCA of one tensor along a path. Refits on every snapshot while there are few, then
 * whenever the number of points has grown by 20 % (or 10 points); in between, new points are
 * projected onto the current axes. The uncentred Gram matrix grows by one row per point
 * (n·d work), so a refit costs O(n³ + n·d). Signs are aligned between refits.
 */
export class PcaTracker {
  private rows: Float32Array[] = [];
  private ticks: number[] = [];
  private K: number[][] = [];
  private fit: PcaFit | null = null;
  private fittedAt = 0;
  private coords: number[][] = [];

  constructor(private readonly maxRows = 256) {}

  add(tick: number, row: Float32Array): PcaView | null {
    if (this.rows.length >= this.maxRows) this.thin();
    const wide = row.length > ML_PCA_MAX_COLUMNS;
    if (wide) {
      const k = this.rows.map((r) => dot(r, row));
      this.K.forEach((r, i) => r.push(k[i]));
      this.K.push([...k, dot(row, row)]);
    }
    this.rows.push(row);
    this.ticks.push(tick);
    const n = this.rows.length;
    if (n < 2) return null;
    const refit = !this.fit || n <= 10 || n >= this.fittedAt * 1.2 || n - this.fittedAt >= 10;
    if (refit) {
      this.fit = alignSigns(wide ? fitWithGram(this.rows, this.K) : fitPca(this.rows), this.fit);
      this.fittedAt = n;
      this.coords = this.rows.map((r) => project(this.fit!, r));
    } else {
      this.coords.push(project(this.fit!, row));
    }
    const coords = new Float32Array(n * 2);
    this.coords.forEach((c, i) => {
      coords[2 * i] = c[0] ?? 0;
      coords[2 * i + 1] = c[1] ?? 0;
    });
    return { ticks: Float64Array.from(this.ticks), coords, explained: this.fit!.explained, refit };
  }

  /** Keeps every other point (always the first and the newest) when the cap is reached. */
  private thin(): void {
    const keep = this.rows.map((_, i) => i).filter((i) => i % 2 === 0 || i === this.rows.length - 1);
    this.rows = keep.map((i) => this.rows[i]);
    this.ticks = keep.map((i) => this.ticks[i]);
    if (this.K.length) this.K = keep.map((i) => keep.map((j) => this.K[i][j]));
    this.fit = null;
    this.fittedAt = 0;
  }
}
