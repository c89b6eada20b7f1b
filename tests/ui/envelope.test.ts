import { describe, expect, it } from 'vitest';
import { Envelope } from '../../src/ui/plots/envelope';

describe('min/max envelope for plotting', () => {
  it('keeps every point while they fit, skipping NaN', () => {
    const y = [3, NaN, 1, 2];
    const e = new Envelope(8);
    e.add(4, (i) => y[i]);
    expect(e.indices()).toEqual([0, 2, 3]);
  });

  it('bounds the drawn points by 2 per bucket and keeps each bucket’s extremes', () => {
    const n = 30000;
    const y = (i: number) => Math.sin(i / 50) + (i === 12345 ? 10 : 0) - (i === 20001 ? 10 : 0);
    const e = new Envelope(500);
    for (let k = 0; k < n; k += 137) e.add(Math.min(n, k + 137), y); // streamed in batches
    const idx = e.indices();
    expect(idx.length).toBeLessThanOrEqual(1000);
    expect(e.width).toBe(64); // 30,000 / 64 ≤ 500 buckets
    expect(idx).toContain(12345); // a one-point spike survives
    expect(idx).toContain(20001);
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
    // Each bucket's points are its true minimum and maximum.
    const b = Math.floor(7000 / e.width);
    const bucket = idx.filter((i) => Math.floor(i / e.width) === b).map(y);
    const all = Array.from({ length: e.width }, (_, k) => y(b * e.width + k));
    expect(Math.min(...bucket)).toBe(Math.min(...all));
    expect(Math.max(...bucket)).toBe(Math.max(...all));
  });

  it('gives only points after the last drawn one, for appending; reports when the width changes', () => {
    const e = new Envelope(4);
    const y = (i: number) => i % 3;
    expect(e.add(4, y)).toBe(false);
    const drawn = e.indices();
    expect(e.add(6, y)).toBe(true); // 6 points in buckets of 1 > 4 buckets: width 2
    expect(e.width).toBe(2);
    const more = new Envelope(100);
    more.add(10, y);
    const first = more.indices();
    more.add(12, y);
    expect(more.indices(first[first.length - 1])).toEqual([10, 11]);
    expect(drawn).toEqual([0, 1, 2, 3]);
  });
});
