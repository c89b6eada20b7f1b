import type { ExperimentsState, PairProgress } from './experimentState';

/** Overall progress of an experiment: pairs, ticks and an ETA (ms; null before anything moved). */
export interface OverallProgress {
  pairsDone: number;
  pairs: number;
  /** Ticks done over all pairs (a done pair counts all its ticks). */
  ticksDone: number;
  ticksTotal: number;
  /** Share of the work done, 0..1: the mean over pairs of tick / T. */
  fraction: number;
  /** Time left at the rate of this run so far (endpoint training included, since it shows as time). */
  etaMs: number | null;
}

/** A pair's share done, 0..1. */
export const pairFraction = (p: PairProgress): number =>
  p.phase === 'done' ? 1 : p.total > 0 ? Math.min(1, p.tick / p.total) : 0;

/**
 * Overall progress at `now`: the ETA extrapolates the share of work done in this run (pairs done
 * before it are not counted as this run's speed).
 */
export function overallProgress(s: ExperimentsState, now: number, doneAtStart = 0): OverallProgress {
  const pairs = Object.values(s.pairs);
  const n = pairs.length;
  const fraction = n ? pairs.reduce((a, p) => a + pairFraction(p), 0) / n : 0;
  const ticksTotal = pairs.reduce((a, p) => a + p.total, 0);
  const ticksDone = pairs.reduce((a, p) => a + (p.phase === 'done' ? p.total : p.tick), 0);
  const ranShare = fraction - doneAtStart / Math.max(n, 1);
  const elapsed = s.runStartedAt === null ? 0 : now - s.runStartedAt;
  const etaMs = s.runStartedAt !== null && ranShare > 0 ? (elapsed * (1 - fraction)) / ranShare : null;
  return {
    pairsDone: pairs.filter((p) => p.phase === 'done').length,
    pairs: n,
    ticksDone,
    ticksTotal,
    fraction,
    etaMs,
  };
}

/** A running pair's ETA from its ticks per second since its path started (ms), or null. */
export function pairEtaMs(p: PairProgress, now: number): number | null {
  if (p.phase !== 'path' || p.pathStartedAt === null || p.tick <= 0) return null;
  const perTick = (now - p.pathStartedAt) / p.tick;
  return perTick * (p.total - p.tick);
}

/** "1 h 02 min", "3 min 05 s", "12 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Bytes in MB with one decimal. */
export const formatMb = (bytes: number | null): string => (bytes === null ? '—' : `${(bytes / 2 ** 20).toFixed(1)} MB`);
