/** Number formats of the Geometry section (errors as percent, distances with units). */

/** A fraction as percent, or an em dash. */
export const pct = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)} %`;

/** A plain number with `digits` decimals, or an em dash. */
export const fixed = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);

/** An integer with thousands separators ("10,000"). */
export const count = (n: number): string => n.toLocaleString('en-US');

/** Parses "0, 0.1, 0.2" into σ values ≥ 0, or null when any is not a number. */
export function parseSigmas(text: string): number[] | null {
  const parts = text.split(',').map((s) => s.trim());
  const v = parts.map(Number);
  return parts.length && v.every((x, i) => parts[i] !== '' && Number.isFinite(x) && x >= 0 && x <= 10) ? v : null;
}

/** Percent values of fractions, for plot axes in percent. */
export const asPct = (xs: readonly number[]): number[] => xs.map((x) => x * 100);
