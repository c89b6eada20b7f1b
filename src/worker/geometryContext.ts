import { createEvalSet, type EvalSet } from '../core/data/batches';
import { takeSplit, type Mnist } from '../core/data/mnist';
import { readLenet5 } from '../core/io/checkpoint';
import type { HostParams } from '../core/model/lenet5';
import { yieldToEventLoop } from './runs';
import type { FromGeometry, ModelFile } from './geometryProtocol';

/** Posts an event (typed) with transferables. */
export type GeometryPost = (msg: FromGeometry, transfer?: Transferable[]) => void;

/** Thrown at a job's next checkpoint once the UI asked to cancel it. */
export class JobCancelled extends Error {
  constructor(runId: string) {
    super(`job ${runId} cancelled`);
    this.name = 'JobCancelled';
  }
}

/**
 * Device copies of the first N images of a split, kept between jobs (uploading 10,000 test images
 * costs a few hundred ms). At most `limit` sets; jobs run one at a time, so evicting the oldest at
 * the start of a job never frees a set in use.
 */
export class EvalSetCache {
  private readonly sets = new Map<string, EvalSet>();
  constructor(private readonly limit = 4) {}

  get(mnist: Mnist, split: 'train' | 'test', count: number): EvalSet {
    const n = Math.min(count, mnist[split].count);
    const key = `${split}:${n}`;
    let set = this.sets.get(key);
    if (set) {
      this.sets.delete(key); // re-inserted: most recently used last
    } else {
      set = createEvalSet(takeSplit(mnist[split], n));
      while (this.sets.size >= this.limit) {
        const [oldest, s] = this.sets.entries().next().value as [string, EvalSet];
        s.dispose();
        this.sets.delete(oldest);
      }
    }
    this.sets.set(key, set);
    return set;
  }

  /** Tensors the cached sets hold (for the worker's leak check). */
  tensors(): number {
    let n = 0;
    this.sets.forEach((s) => (n += 2 * s.chunks.length));
    return n;
  }

  dispose(): void {
    this.sets.forEach((s) => s.dispose());
    this.sets.clear();
  }
}

/** What a job sees: its runId, the data, the event sink and a cancellable yield point. */
export interface JobContext {
  runId: string;
  mnist: Mnist;
  post: GeometryPost;
  /** The first `count` training images (no augmentation) on the device. */
  train(count: number): EvalSet;
  /** The first `count` test images on the device. */
  test(count: number): EvalSet;
  /**
   * Lets queued messages (cancel) in, then throws JobCancelled when this job was cancelled. Jobs
   * call it between units of work (a path point, a model, a report of training steps).
   */
  checkpoint(): Promise<void>;
  /** A `progress` event: `done` of `total` units, and what is being done. */
  progress(done: number, total: number, label: string): void;
}

export function createJobContext(
  runId: string,
  mnist: Mnist,
  post: GeometryPost,
  sets: EvalSetCache,
  isCancelled: (runId: string) => boolean,
): JobContext {
  return {
    runId,
    mnist,
    post,
    train: (n) => sets.get(mnist, 'train', n),
    test: (n) => sets.get(mnist, 'test', n),
    checkpoint: async () => {
      await yieldToEventLoop();
      if (isCancelled(runId)) throw new JobCancelled(runId);
    },
    progress: (done, total, label) => post({ v: 1, type: 'progress', runId, done, total, label }),
  };
}

/** Parses a real LeNet5 file; the error names the file. */
export function readModel(f: ModelFile): HostParams {
  try {
    return readLenet5(new Uint8Array(f.bytes)).params;
  } catch (e) {
    throw new Error(`${f.name}: ${(e as Error).message}`);
  }
}

/** A Uint8Array's bytes as their own transferable ArrayBuffer. */
export function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
