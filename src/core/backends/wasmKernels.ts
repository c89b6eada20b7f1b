import { registerWasmConv2DBackpropFilter } from './wasmConvFilterGrad';
import { registerWasmGatherRows } from './wasmGather';

/** Every kernel the engine adds to or replaces on the wasm backend (SPEC §8, issue #10). Idempotent;
 *  call after '@tensorflow/tfjs-backend-wasm' is imported, before or after tf.setBackend('wasm'). */
export function registerWasmKernels(): void {
  registerWasmConv2DBackpropFilter();
  registerWasmGatherRows();
}
