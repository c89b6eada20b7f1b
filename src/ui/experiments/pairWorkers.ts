import type { FromPairWorker, PairWorker, ToPairWorker } from '../../core/experiments/pool';
import {
  EXPERIMENT_PROTOCOL_VERSION,
  parseFromExperimentWorker,
  type FromExperimentWorker,
  type ToExperimentWorker,
} from '../../worker/experimentProtocol';

type Command = ToExperimentWorker extends infer T ? (T extends { v: 1 } ? Omit<T, 'v'> : never) : never;

/** A Web Worker as the app sees it: only what the adapters need (tests pass a fake). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  terminate(): void;
}

/** Sends a versioned command. */
export function send(w: WorkerLike, cmd: Command, transfer: Transferable[] = []): void {
  w.postMessage({ ...cmd, v: EXPERIMENT_PROTOCOL_VERSION }, transfer);
}

/** Where the adapters hand what the pool does not carry: every validated event, and protocol errors. */
export interface WorkerEvents {
  onEvent(e: FromExperimentWorker): void;
  onInvalid(message: string): void;
}

/**
 * One experiment worker as the core's pair pool sees it (src/core/experiments/pool.ts): the pool's
 * unversioned `pair`/`stop` become versioned `runPair`/`stop` of this run; the worker's validated
 * events of this run become the pool's `message`/`tick`/`done`/`failed`. Events of other runs are dropped.
 */
export function pairWorker(
  w: WorkerLike,
  run: { runId: string; experimentId: string; backend: string | null; dataUrl: string },
  events: WorkerEvents,
): PairWorker {
  send(w, { type: 'init', backend: run.backend as never, dataUrl: run.dataUrl });
  return {
    post(m: ToPairWorker) {
      if (m.type === 'stop') send(w, { type: 'stop' });
      else
        send(w, { type: 'runPair', runId: run.runId, experimentId: run.experimentId, pair: m.pair, epochs: m.epochs });
    },
    onMessage(listener: (m: FromPairWorker) => void) {
      w.onmessage = (e) => {
        let m: FromExperimentWorker;
        try {
          m = parseFromExperimentWorker(e.data);
        } catch (err) {
          events.onInvalid((err as Error).message);
          return;
        }
        if ('runId' in m && m.runId !== undefined && m.runId !== run.runId) return;
        events.onEvent(m);
        if (m.type === 'pairMessage') listener({ type: 'message', pair: m.pair, message: m.message });
        else if (m.type === 'pairTick') listener({ type: 'tick', pair: m.pair, tick: m.tick, total: m.total });
        else if (m.type === 'pairDone') listener({ type: 'done', pair: m.pair, record: m.record });
        else if (m.type === 'pairFailed') listener({ type: 'failed', pair: m.pair, message: m.message });
      };
    },
    onExit(listener: (error: Error) => void) {
      w.onerror = (e) => {
        e.preventDefault?.();
        listener(new Error(`an experiment worker crashed: ${e.message || 'unknown error (out of memory?)'}`));
      };
    },
    terminate: () => w.terminate(),
  };
}
