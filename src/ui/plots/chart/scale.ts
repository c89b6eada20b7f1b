import { logTicks } from '../logTicks';

/** One axis of a live chart, in data terms. */
export interface AxisSpec {
  /** The axis title, with its unit (issue #16). */
  title: string;
  type?: 'linear' | 'log';
  /** A fixed range; otherwise the data's range. */
  range?: readonly [number, number];
  /** 'tozero': the range always includes 0 (linear axes). */
  rangemode?: 'tozero' | 'normal';
  /** Values run right to left (x) or top to bottom (y). */
  reversed?: boolean;
  /** Values are fractions, labelled as percentages. */
  percent?: boolean;
  /** The data's range is clipped to this (accuracy never leaves [0, 1]). */
  clip?: readonly [number, number];
  /** Tick spacing in data units (linear axes); otherwise chosen to fit. */
  dtick?: number;
  /** Gridlines at the ticks (default true). */
  grid?: boolean;
  /** false: no ticks at all (an axis that means nothing yet: PC2 with two snapshots). */
  ticks?: boolean;
}

export interface Tick {
  value: number;
  label: string;
}

/** A data-to-pixel map along one axis and its ticks. */
export interface Scale {
  /** The data range shown, [low, high] in data units. */
  domain: [number, number];
  toPx(v: number): number;
  /** The data value at pixel px (the inverse of toPx). */
  fromPx(px: number): number;
  /** Whether v can be drawn (finite, and positive on a log axis). */
  drawable(v: number): boolean;
  ticks: Tick[];
}

/** Extent of the finite values (positive only on a log axis); null when there is none. */
export function extent(values: Iterable<number>, log: boolean): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (log && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** The data range an axis shows: fixed, or the data's (clipped, to zero if asked, padded 5 % on y). */
export function axisDomain(axis: AxisSpec, data: [number, number] | null, pad: boolean): [number, number] {
  if (axis.range) return [axis.range[0], axis.range[1]];
  const log = axis.type === 'log';
  let [lo, hi] = data ?? (log ? [0.1, 10] : [0, 1]);
  if (!log && axis.rangemode === 'tozero') [lo, hi] = [Math.min(lo, 0), Math.max(hi, 0)];
  if (log) {
    let [a, b] = [Math.log10(lo), Math.log10(hi)];
    if (b - a < 1e-9) [a, b] = [a - 0.5, b + 0.5];
    const p = pad ? (b - a) * 0.05 : 0;
    return [10 ** (a - p), 10 ** (b + p)];
  }
  if (hi - lo < 1e-12) [lo, hi] = lo === 0 ? [0, 1] : [lo - Math.abs(lo) * 0.1, hi + Math.abs(hi) * 0.1];
  const p = pad ? (hi - lo) * 0.05 : 0;
  // Padding never crosses zero on a 'tozero' axis (loss 0 sits on the axis line).
  const loPad = axis.rangemode === 'tozero' && lo === 0 ? 0 : p;
  [lo, hi] = [lo - loPad, hi + p];
  if (axis.clip) [lo, hi] = [Math.max(lo, axis.clip[0]), Math.min(hi, axis.clip[1])];
  return [lo, hi];
}

/** A 1-2-5 step giving at most `maxTicks` ticks over [lo, hi]. */
export function niceStep(lo: number, hi: number, maxTicks: number): number {
  const raw = (hi - lo) / Math.max(1, maxTicks);
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/** Decimals needed to write `step` exactly (0.25 → 2, 2.5 → 1, 1e-4 → 4). */
export function decimalsOf(step: number): number {
  const [mantissa, exp] = Number(step.toPrecision(12)).toExponential().split('e');
  const mantissaDecimals = mantissa.includes('.') ? mantissa.length - mantissa.indexOf('.') - 1 : 0;
  return Math.max(0, mantissaDecimals - Number(exp));
}

/** A linear tick label: thousands as "10k" on steps of a thousand or more, else the value to the step's decimals. */
export function linearLabel(v: number, step: number, percent = false): string {
  if (percent) return `${String(Number((v * 100).toFixed(Math.min(decimalsOf(step * 100), 12))))}%`;
  if (Math.abs(v) >= 1e4 && step >= 1000) return `${Number((v / 1000).toPrecision(12))}k`;
  return String(Number(v.toFixed(Math.min(decimalsOf(step), 12)))); // "0.5", not "0.50"; −0 is "0"
}

/**
 * The scale of one axis over pixels [p0, p1] (p0 < p1; x left to right, y bottom to top given as
 * p0 = bottom), with at most `maxTicks` ticks.
 */
export function buildScale(axis: AxisSpec, domain: [number, number], p0: number, p1: number, maxTicks: number): Scale {
  const log = axis.type === 'log';
  const f = log ? Math.log10 : (v: number) => v;
  const [a, b] = [f(domain[0]), f(domain[1])];
  const [from, to] = axis.reversed ? [p1, p0] : [p0, p1];
  const toPx = (v: number) => from + ((f(v) - a) / (b - a || 1)) * (to - from);
  const fromPx = (px: number) => {
    const u = a + ((px - from) / (to - from || 1)) * (b - a);
    return log ? 10 ** u : u;
  };
  const drawable = (v: number) => Number.isFinite(v) && (!log || v > 0);
  const inside = (v: number) => v >= domain[0] * (1 - 1e-9) - 1e-12 && v <= domain[1] * (1 + 1e-9) + 1e-12;
  let ticks: Tick[];
  if (log) {
    const t = logTicks(domain[0], domain[1]);
    ticks = t ? t.tickvals.map((value, i) => ({ value, label: t.ticktext[i] })).filter((t) => inside(t.value)) : [];
    // More ticks than fit: every k-th (the labels stay whole decades or 1-2-5 mantissas).
    const every = Math.ceil(ticks.length / Math.max(1, maxTicks));
    if (every > 1) ticks = ticks.filter((_, i) => i % every === 0);
  } else {
    const step =
      axis.dtick && (domain[1] - domain[0]) / axis.dtick <= maxTicks * 2 ? axis.dtick : niceStep(a, b, maxTicks);
    ticks = [];
    for (let k = Math.ceil(a / step - 1e-9); k * step <= b + step * 1e-9; k++) {
      const value = Number((k * step).toPrecision(12));
      ticks.push({ value, label: linearLabel(value, step, axis.percent) });
    }
  }
  return { domain, toPx, fromPx, drawable, ticks: axis.ticks === false ? [] : ticks };
}
