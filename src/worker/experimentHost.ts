import * as tf from '../core/tf';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { browserHost, probeBrowserBackends } from './browserHost';
import { openExperimentDb, idbExperimentStore } from './experimentFiles';
import { yieldToEventLoop } from './runs';
import type { ExperimentHost } from './experimentEngine';
import type { FromExperimentWorker } from './experimentProtocol';

/**
 * The browser side of an experiment worker: the app's backend probes and MNIST loader
 * (browserHost.ts), the experiment's files in IndexedDB. WASM runs single-threaded here: the app
 * runs one experiment worker per core, so each worker's own thread pool would only oversubscribe
 * the cores (SPEC §10, "one engine worker per core").
 */
export function experimentBrowserHost(
  post: (msg: FromExperimentWorker, transfer: Transferable[]) => void,
): ExperimentHost {
  const shared = browserHost(() => undefined);
  let db: Promise<IDBDatabase> | null = null;
  return {
    probeBackends: probeBrowserBackends,
    prepareBackend: async (name) => {
      if (name === 'wasm') {
        setWasmPaths({
          'tfjs-backend-wasm.wasm': wasmPlain,
          'tfjs-backend-wasm-simd.wasm': wasmSimd,
          'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
        });
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      }
      return { threads: false };
    },
    loadMnist: (url) => shared.loadMnist(url),
    post: (msg, transfer = []) => post(msg, transfer),
    storeFor: async (id) => idbExperimentStore(await (db ??= openExperimentDb()), id),
    yieldToHost: yieldToEventLoop,
  };
}
