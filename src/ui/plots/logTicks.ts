/**
 * Readable ticks for a log axis (issue #16): Plotly's own labels on a range under two decades are bare
 * mantissas ("3 2 0.01 9 8 7 …"). These are whole decades (10⁻³, 10⁻², …) when three or more lie in
 * the data's range, else 1-2-5 (or every digit) within the decade, each written in full ("2·10⁻³").
 */
export interface LogTicks {
  /** Tick positions in data units (Plotly takes data values for `tickvals` on log axes). */
  tickvals: number[];
  /** Their labels. */
  ticktext: string[];
}

/** Most decade labels on one axis; more decades show every k-th. */
const MAX_DECADE_LABELS = 7;
const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** `10` to the power `k`, written with superscript digits; 1, 10 and 100 plainly. */
export function powerOfTen(k: number): string {
  if (k >= 0 && k <= 2) return String(10 ** k);
  return `10${[...String(k)].map((ch) => SUPERSCRIPT[ch]).join('')}`;
}

/** The label of m·10^k (m a small integer): plainly ("0.002") or as a power ("2·10⁻³"). */
export function logLabel(m: number, k: number, plain: boolean): string {
  if (plain) return String(Number((m * 10 ** k).toPrecision(3)));
  return m === 1 ? powerOfTen(k) : `${m}·${powerOfTen(k)}`;
}

/** Mantissa ticks are written plainly when all of them are between these (else all as powers of ten). */
const PLAIN_RANGE = [1e-3, 1e3];

/** Ticks for positive data from `lo` to `hi`; null when there is nothing positive to label. */
export function logTicks(lo: number, hi: number): LogTicks | null {
  if (!(lo > 0) || !(hi >= lo) || !Number.isFinite(hi)) return null;
  const k0 = Math.floor(Math.log10(lo) + 1e-9);
  const k1 = Math.ceil(Math.log10(hi) - 1e-9);
  const tickvals: number[] = [];
  const at: Array<[number, number]> = [];
  const push = (m: number, k: number) => {
    tickvals.push(Number((m * 10 ** k).toPrecision(12)));
    at.push([m, k]);
  };
  // Decades inside the data range; three or more label it well on their own.
  const inside = Math.floor(Math.log10(hi) + 1e-9) - Math.ceil(Math.log10(lo) - 1e-9) + 1;
  if (inside >= 3) {
    const every = Math.ceil((k1 - k0 + 1) / MAX_DECADE_LABELS);
    for (let k = k1; k >= k0; k -= every) push(1, k);
    tickvals.reverse();
    return { tickvals, ticktext: at.reverse().map(([, k]) => powerOfTen(k)) };
  }
  // Two decades or fewer: the first set of mantissas that puts at least three ticks inside [lo, hi].
  for (const mantissas of [
    [1, 2, 5],
    [1, 2, 3, 5, 7],
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  ]) {
    tickvals.length = at.length = 0;
    for (let k = k0; k <= k1; k++) {
      for (const m of mantissas) {
        const v = m * 10 ** k;
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) push(m, k);
      }
    }
    if (tickvals.length >= 3) break;
  }
  if (tickvals.length < 2) {
    // A range inside one gap between digits: its two ends, rounded to three figures.
    const ends = lo === hi ? [lo] : [lo, hi];
    return { tickvals: ends, ticktext: ends.map(formatFigures) };
  }
  const plain = tickvals.every((v) => v >= PLAIN_RANGE[0] && v <= PLAIN_RANGE[1]);
  return { tickvals, ticktext: at.map(([m, k]) => logLabel(m, k, plain)) };
}

/** A positive number to three significant figures, in the same notation as the decade labels. */
function formatFigures(v: number): string {
  const k = Math.floor(Math.log10(v));
  if (k >= -2 && k <= 2) return String(Number(v.toPrecision(3)));
  return `${Number((v / 10 ** k).toPrecision(3))}·${powerOfTen(k)}`;
}

/** Whether two tick sets are the same (so an axis is relaid out only when its ticks change). */
export function sameTicks(a: LogTicks | null, b: LogTicks | null): boolean {
  if (a === null || b === null) return a === b;
  return a.tickvals.length === b.tickvals.length && a.tickvals.every((v, i) => v === b.tickvals[i]);
}
