/// <reference lib="webworker" />
import { WorkerEngine } from './engine';
import { browserHost } from './browserHost';

// The engine worker: owns TF.js, the data and the models; the UI thread only renders.
declare const self: DedicatedWorkerGlobalScope;

const engine = new WorkerEngine(browserHost((msg, transfer) => self.postMessage(msg, transfer)));
// Messages are handled in order; a long job (training, a path) keeps running while later
// messages (pause, stop) are handled between its ticks.
self.onmessage = (e: MessageEvent) => void engine.handle(e.data);
