/**
 * Min/max envelope of one trace, built as points arrive: the points fall into buckets of `width`
 * consecutive indices, and each bucket keeps the index of its smallest and its largest value. When
 * the buckets outnumber `maxBuckets`, neighbours merge and the width doubles, so a trace of any
 * length is drawn with at most 2 · maxBuckets points (one bucket per pixel column keeps every peak
 * and dip visible). Adding a point costs O(1); NaN values (not measured) fall in no bucket.
 */
export class Envelope {
  /** Points per bucket (a power of two). */
  width = 1;
  /** Points seen so far (indices 0 … consumed − 1). */
  consumed = 0;
  private minAt: Int32Array;
  private maxAt: Int32Array;
  private minV: Float64Array;
  private maxV: Float64Array;
  private buckets = 0;

  constructor(readonly maxBuckets: number) {
    // One spare bucket: merging happens once the last bucket overflows the limit.
    this.minAt = new Int32Array(maxBuckets + 1);
    this.maxAt = new Int32Array(maxBuckets + 1);
    this.minV = new Float64Array(maxBuckets + 1);
    this.maxV = new Float64Array(maxBuckets + 1);
  }

  /** Takes the values of indices consumed … n − 1; true when the width changed (everything drawn is stale). */
  add(n: number, y: (i: number) => number): boolean {
    let coarsened = false;
    for (let i = this.consumed; i < n; i++) {
      const b = Math.floor(i / this.width);
      if (b >= this.maxBuckets) {
        this.merge();
        coarsened = true;
        i--; // the same point again, in the wider buckets
        continue;
      }
      while (this.buckets <= b) this.open(this.buckets++);
      const v = y(i);
      if (Number.isNaN(v)) continue;
      if (this.minAt[b] < 0 || v < this.minV[b]) {
        this.minAt[b] = i;
        this.minV[b] = v;
      }
      if (this.maxAt[b] < 0 || v > this.maxV[b]) {
        this.maxAt[b] = i;
        this.maxV[b] = v;
      }
    }
    this.consumed = Math.max(this.consumed, n);
    return coarsened;
  }

  /** Indices of the envelope's points after `after` (−1: all), in increasing order. */
  indices(after = -1): number[] {
    const out: number[] = [];
    const first = Math.max(0, Math.floor((after + 1) / this.width));
    for (let b = first; b < this.buckets; b++) {
      const lo = Math.min(this.minAt[b], this.maxAt[b]);
      const hi = Math.max(this.minAt[b], this.maxAt[b]);
      if (lo > after) out.push(lo);
      if (hi !== lo && hi > after) out.push(hi);
    }
    return out;
  }

  private open(b: number): void {
    this.minAt[b] = this.maxAt[b] = -1;
  }

  /** Pairs of buckets become one; the width doubles. */
  private merge(): void {
    const half = Math.ceil(this.buckets / 2);
    for (let k = 0; k < half; k++) {
      const a = 2 * k;
      const b = a + 1 < this.buckets ? a + 1 : a;
      const [mi, mv] = pick(this.minAt[a], this.minV[a], this.minAt[b], this.minV[b], (x, y) => x < y);
      const [xi, xv] = pick(this.maxAt[a], this.maxV[a], this.maxAt[b], this.maxV[b], (x, y) => x > y);
      this.minAt[k] = mi;
      this.minV[k] = mv;
      this.maxAt[k] = xi;
      this.maxV[k] = xv;
    }
    this.buckets = half;
    this.width *= 2;
  }
}

/** The better of two (index, value) candidates; index −1 is "none". */
function pick(i: number, v: number, j: number, w: number, better: (x: number, y: number) => boolean): [number, number] {
  if (i < 0) return [j, w];
  if (j < 0) return [i, v];
  return better(w, v) ? [j, w] : [i, v];
}
