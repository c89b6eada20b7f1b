/// <reference lib="webworker" />
import { browserHost } from './browserHost';
import { GeometryWorker } from './geometry';

// The geometry worker (issue #14): long analyses of Pittorino et al.'s geometry run here, off the UI
// thread and off the engine worker. Backend probing, wasm setup and MNIST loading are the engine
// worker's own (browserHost); its post is unused here.
declare const self: DedicatedWorkerGlobalScope;

const engineHost = browserHost(() => undefined);
const worker = new GeometryWorker({
  probeBackends: engineHost.probeBackends,
  prepareBackend: engineHost.prepareBackend,
  loadMnist: engineHost.loadMnist,
  post: (msg, transfer = []) => self.postMessage(msg, transfer),
});
// Jobs queue inside the worker; a `cancel` is handled as soon as the running job yields.
self.onmessage = (e: MessageEvent) => void worker.handle(e.data);
