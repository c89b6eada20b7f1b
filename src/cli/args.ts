/** A CLI usage error: printed as one line with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Boolean flags take an optional value: `--augment`, `--augment true`, `--augment false`. parseArgs
 * knows only bare switches or values, so a bare one gets an explicit "true" before parsing.
 */
export function expandBareBooleans(args: readonly string[], boolFlags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    out.push(a);
    const bare = a.startsWith('--') && !a.includes('=') && boolFlags.has(a.slice(2));
    if (bare && !/^(true|false|1|0)$/.test(args[i + 1] ?? '')) out.push('true');
  });
  return out;
}

/** Parses a numeric flag, with a clear error naming the flag. */
export function num(
  flags: Record<string, unknown>,
  name: string,
  fallback?: number,
  opts: { integer?: boolean; min?: number } = {},
): number {
  const raw = flags[name];
  if (raw === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const v = Number(raw);
  if (!Number.isFinite(v) || (opts.integer && !Number.isInteger(v)) || (opts.min !== undefined && v < opts.min)) {
    throw new UsageError(
      `--${name} must be ${opts.integer ? 'an integer' : 'a number'}` +
        `${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}, got "${String(raw)}"`,
    );
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
