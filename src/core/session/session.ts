import { SessionControl, type RunState } from './control';

/** An observer of a session's steps: measures, records or ships something, and may emit events. */
export type Observer<S, E> = (step: S, emit: (event: E) => void) => void | Promise<void>;

/** Events every session emits besides its observers' own (E). */
export type SessionEvent<E> =
  | E
  | { type: 'progress'; done: number; total: number; elapsedMs: number }
  | { type: 'state'; state: RunState }
  | { type: 'error'; error: Error; at: number }
  | { type: 'done'; status: SessionStatus; at: number };

/** How a session ended: all steps done, stopped by its control, or failed (an `error` event came first). */
export type SessionStatus = 'done' | 'stopped' | 'failed';

export interface SessionOptions<S> {
  /** The work: an async generator of steps; the session pulls one at a time (pause = not pulling). */
  producer: AsyncGenerator<S, void, void>;
  /** Position of a step (tick, SGD step) for progress and error reports. */
  position: (step: S) => number;
  /** Position of the last step. */
  total: number;
  /** Position before the first step (a continued run starts past 0). */
  startAt?: number;
  control?: SessionControl;
  /** Lets the host's event loop run between steps, so queued commands (pause, stop, Ctrl-C) arrive. */
  yieldToHost?: () => Promise<void>;
}

/**
 * The one driver of everything that runs over ticks or steps (a path now; baselines, curve training
 * and experiments next): a producer in, typed events out. Observers subscribe to the steps in order
 * (evaluation, the point, snapshots, checkpoints); listeners receive every event. Pause, step,
 * resume and stop go through `control`. `run()` never throws: a failure is an `error` event.
 */
export class Session<S, E extends { type: string }> {
  readonly control: SessionControl;
  private readonly observers: Observer<S, E>[] = [];
  private readonly listeners: Array<(e: SessionEvent<E>) => void> = [];
  private ran = false;

  constructor(private readonly opts: SessionOptions<S>) {
    this.control = opts.control ?? new SessionControl();
  }

  /** Adds an observer of each step (they run in the order added). */
  observe(observer: Observer<S, E>): this {
    this.observers.push(observer);
    return this;
  }

  /** Adds a listener of every event; returns its removal. */
  on(listener: (e: SessionEvent<E>) => void): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener) >>> 0, 1);
  }

  private emit = (e: SessionEvent<E>): void => {
    for (const l of this.listeners) l(e);
  };

  /** Runs the producer to its end (or a stop or failure); resolves with how it ended. */
  async run(): Promise<SessionStatus> {
    if (this.ran) throw new Error('a session runs once');
    this.ran = true;
    const { producer, position, total, yieldToHost } = this.opts;
    const t0 = performance.now();
    let at = this.opts.startAt ?? 0;
    let status: SessionStatus = 'done';
    this.emit({ type: 'state', state: 'running' });
    try {
      for (;;) {
        if (!(await this.control.proceed((state) => this.emit({ type: 'state', state })))) {
          status = 'stopped';
          break;
        }
        const next = await producer.next();
        if (next.done) break;
        at = position(next.value);
        for (const observe of this.observers) await observe(next.value, this.emit as (e: E) => void);
        this.emit({ type: 'progress', done: at, total, elapsedMs: performance.now() - t0 });
        if (yieldToHost) await yieldToHost();
      }
    } catch (e) {
      status = 'failed';
      const error = e instanceof Error ? e : new Error(String(e));
      this.emit({ type: 'error', error, at: (error as { tick?: number }).tick ?? at });
    } finally {
      await producer.return(undefined).catch(() => undefined);
    }
    if (status !== 'failed') this.emit({ type: 'state', state: status });
    this.emit({ type: 'done', status, at });
    return status;
  }
}
