/// <reference lib="webworker" />
import { PcaTracker, type PcaView } from '../core/analysis/pcaTracker';
import type { SnapshotMessage } from './protocol';

/**
 * The PCA worker: receives tensor snapshots straight from the engine worker (a MessagePort the
 * UI handed to both) and posts 2-D views per tensor to the UI. Keeps PCA off both the UI
 * thread and the training loop.
 */
declare const self: DedicatedWorkerGlobalScope;

export interface PcaMessage {
  v: 1;
  type: 'pca';
  runId: string;
  tensor: string;
  view: PcaView;
}

let runId = '';
let trackers = new Map<string, PcaTracker>();

function onSnapshot(msg: SnapshotMessage): void {
  if (msg?.type !== 'snapshot' || msg.v !== 1) return;
  if (msg.runId !== runId) {
    runId = msg.runId;
    trackers = new Map();
  }
  for (const [name, values] of Object.entries(msg.tensors)) {
    if (!trackers.has(name)) trackers.set(name, new PcaTracker());
    const view = trackers.get(name)!.add(msg.tick, values);
    if (!view) continue;
    const out: PcaMessage = { v: 1, type: 'pca', runId, tensor: name, view };
    self.postMessage(out, [view.ticks.buffer, view.coords.buffer]);
  }
}

self.onmessage = (e: MessageEvent) => {
  // The first message carries the port from the engine worker; a 'reset' clears old runs.
  if (e.data?.type === 'port') (e.data.port as MessagePort).onmessage = (m) => onSnapshot(m.data);
  if (e.data?.type === 'reset') trackers = new Map();
};
