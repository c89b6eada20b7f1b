/** Run state a host shows: running, paused, or finished (stopped by request, or done). */
export type RunState = 'running' | 'paused' | 'stopped' | 'done';

/**
 * Pause, single-step, resume and stop of a session, in one place. Commands may arrive at any time
 * (a worker message, Ctrl-C); the session consults the control between steps only, so a step is
 * never cut in half.
 */
export class SessionControl {
  private paused = false;
  private stopped = false;
  private stepsAllowed = 0;
  private wake: (() => void) | null = null;

  /** Stop before the next step. */
  stop(): void {
    this.stopped = true;
    this.notify();
  }

  /** Hold before the next step until resume, step or stop. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.notify();
  }

  /** While paused: run exactly one more step, then hold again. */
  step(): void {
    this.stepsAllowed++;
    this.notify();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * Awaited by the session between steps: returns at once when running; while paused, waits for a
   * command, reporting `paused` and (on resume) `running` through `onState`. False: stop now.
   */
  async proceed(onState: (s: 'running' | 'paused') => void): Promise<boolean> {
    if (this.stopped) return false;
    if (!this.paused) return true;
    if (this.stepsAllowed > 0) {
      this.stepsAllowed--;
      return true;
    }
    onState('paused');
    while (this.paused && !this.stopped && this.stepsAllowed === 0) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    if (this.stopped) return false;
    if (this.paused) this.stepsAllowed--;
    else onState('running');
    return true;
  }

  private notify(): void {
    this.wake?.();
  }
}
