/** A CLI usage error: printed as one line with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses a numeric flag, with a clear error naming the flag. */
export function num(flags: Record<string, unknown>, name: string, fallback?: number, opts: { integer?: boolean; min?: number } = {}): number {
  const raw = flags[name];
  if (raw === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const v = Number(raw);
  if (!Number.isFinite(v) || (opts.integer && !Number.isInteger(v)) || (opts.min !== undefined && v < opts.min)) {
    throw new UsageError(`--${name} must be ${opts.integer ? 'an integer' : 'a number'}${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}, got "${String(raw)}"`);
  }
  return v;
}

export function str(flags: Record<string, unknown>, name: string, fallback?: string): string {
  const raw = flags[name];
  if (raw === undefined || raw === true) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  return String(raw);
}
