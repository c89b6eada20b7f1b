import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerEngine, type EngineHost } from '../../src/worker/engine';
import { parseFromWorker, type FromWorker } from '../../src/worker/protocol';
import { takeSplit } from '../../src/core/data/mnist';
import { mnist } from '../helpers';

/** A bundled model file (public/models) as the bytes the UI sends. */
export function bundledModel(name: string): ArrayBuffer {
  const b = readFileSync(join(__dirname, '../../public/models', name));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/**
 * The engine worker's handler without a worker (web-llm's pattern): a stubbed post whose events pass
 * the UI's validation, on the first `trainCount` training and `testCount` test images.
 */
export function engineHarness(trainCount: number, testCount: number) {
  const events: FromWorker[] = [];
  const host: EngineHost = {
    probeBackends: async () => [{ name: 'wasm', available: true, software: false, detail: 'test' }],
    loadMnist: async () => ({ train: takeSplit(mnist().train, trainCount), test: takeSplit(mnist().test, testCount) }),
    post: (msg) => events.push(parseFromWorker(msg)),
    crossOriginIsolated: false,
  };
  const e = new WorkerEngine(host);
  const send = (msg: object) => e.handle({ v: 1, ...msg });
  /** Events of one type (and of one run, if given). */
  const of = <T extends FromWorker['type']>(t: T, runId?: string) =>
    events.filter(
      (x): x is Extract<FromWorker, { type: T }> => x.type === t && (!runId || ('runId' in x && x.runId === runId)),
    );
  return { send, of, events };
}
