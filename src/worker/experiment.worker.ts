/// <reference lib="webworker" />
import { ExperimentEngine } from './experimentEngine';
import { experimentBrowserHost } from './experimentHost';

// An experiment worker (issue #15): runs one pair at a time through the core's pair runner, or an
// analysis; the app runs one per core. The logic is ExperimentEngine's, tested without a worker.
declare const self: DedicatedWorkerGlobalScope;

const engine = new ExperimentEngine(experimentBrowserHost((msg, transfer) => self.postMessage(msg, transfer)));
self.onmessage = (e: MessageEvent) => void engine.handle(e.data);
