import { afterFrames } from './frames';

/**
 * Commands to a worker, in order, with a way to hold one back for a few frames. A job's panels (a run's, the
 * plane's) mount while the engine would start computing: on two cores the page's commit, layout and paint then
 * waited for a core, and a job's start was the demo's and the lesson's one main-thread task over 50 ms
 * (docs/UI.md, "A UI that never blocks"). Held, the job's request reaches the worker once the frames that show
 * its panels are drawn; whatever is sent meanwhile (pause, stop) queues behind it, so the worker sees the same
 * order.
 */
export class Outbox<T> {
  private held: Array<[T, Transferable[]]> | null = null;

  constructor(
    private readonly post: (message: T, transfer: Transferable[]) => void,
    /** Calls back once the page has drawn `frames` frames (what the held message waits for). */
    private readonly whenDrawn: (frames: number, callback: () => void) => void = afterFrames,
  ) {}

  /** Posts now, or after the held messages when some are waiting. */
  send(message: T, transfer: Transferable[] = []): void {
    if (this.held) this.held.push([message, transfer]);
    else this.post(message, transfer);
  }

  /** Posts once the page has drawn `frames` frames; messages sent until then follow it. */
  sendWhenDrawn(message: T, frames = 1, transfer: Transferable[] = []): void {
    if (this.held) return void this.held.push([message, transfer]);
    const held: Array<[T, Transferable[]]> = [[message, transfer]];
    this.held = held;
    this.whenDrawn(frames, () => this.held === held && this.release()); // not a list cleared since
  }

  /** Drops what is held (the worker it was for is gone). */
  clear(): void {
    this.held = null;
  }

  /** Messages held back. */
  get pending(): number {
    return this.held?.length ?? 0;
  }

  private release(): void {
    const held = this.held;
    this.held = null;
    for (const [message, transfer] of held ?? []) this.post(message, transfer);
  }
}
