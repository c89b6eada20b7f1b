import { pairSpecs, type ExperimentPlan, type PairSpec } from '../../core/experiments/experiment';
import type { PairRecord } from '../../core/experiments/pairRun';
import type { PairProgress } from './experimentState';

/**
 * How an experiment survives the page going away (issue #15): what Continue runs again, and what a
 * pair's failure means while the page unloads. Pure but for `listenPageLeave`.
 */

/**
 * The pairs a start or Continue runs: every pair not done — never started, running when the page
 * went away (its pair.json still says running), stopped, or failed. Done pairs keep their files and
 * are not run again; endpoints already trained are read from models/.
 */
export function pairsToRun(plan: ExperimentPlan, pairs: Record<number, PairProgress>): PairSpec[] {
  return pairSpecs(plan).filter((p) => pairs[p.index]?.phase !== 'done');
}

/** What a reopened pair's last message says when its pair.json was left running. */
export const interruptedMessage = (tick: number): string =>
  `interrupted at tick ${tick} (the page was closed or reloaded): Continue runs it again`;

/** A reopened pair's last message; a pair.json left running means the page went away in the middle of it. */
export const reopenedMessage = (r: PairRecord | undefined): string =>
  !r ? '' : r.status === 'running' ? interruptedMessage(r.ticksDone) : `${r.status} at tick ${r.ticksDone}`;

/**
 * The record kept for a pair that ended while the page was going away: an unload aborts the
 * workers' fetches and IndexedDB writes, so such a failure is no verdict on the pair. It counts as
 * stopped (Continue runs it again), with the cause in its message; a done record stays done.
 */
export function settledWhileLeaving(r: PairRecord): PairRecord {
  if (r.status !== 'failed') return r;
  const { error, ...rest } = r;
  return { ...rest, status: 'stopped', error: `interrupted: the page was going away (${error ?? 'no message'})` };
}

/** Calls `listener(true)` when the page starts going away, `listener(false)` if it comes back (bfcache). */
export function listenPageLeave(listener: (leaving: boolean) => void): void {
  if (typeof addEventListener !== 'function') return; // not in a page (tests)
  addEventListener('pagehide', () => listener(true));
  addEventListener('pageshow', (e) => {
    if ((e as PageTransitionEvent).persisted) listener(false);
  });
}
