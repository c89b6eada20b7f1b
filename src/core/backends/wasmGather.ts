import * as tf from '../tf';

/** The parts of the wasm backend this kernel touches (tfjs-backend-wasm 4.22 internals). */
interface WasmBackendView {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(id: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  readSync(id: object): ArrayLike<number>;
}

/**
 * GatherV2 on wasm for the case batches use (axis 0, no batch dims, 4-byte dtypes): one row copy per
 * index inside the backend's memory. The stock kernel walks elements with strides and takes ~0.8 ms
 * for a 64-image batch, a quarter of a whole kernel-path SGD step (issue #10, tf.profile); this
 * takes ~20 µs. Every other case goes to the stock kernel.
 */
export function registerWasmGatherRows(): void {
  const stock = tf.getKernel('GatherV2', 'wasm');
  if (!stock || (stock as { fastRows?: boolean }).fastRows) return;
  tf.unregisterKernel('GatherV2', 'wasm');
  const config: tf.KernelConfig & { fastRows: boolean } = {
    kernelName: 'GatherV2',
    backendName: 'wasm',
    fastRows: true,
    setupFunc: stock.setupFunc,
    disposeFunc: stock.disposeFunc,
    kernelFunc: (args) => {
      const { x, indices } = args.inputs as unknown as { x: tf.TensorInfo; indices: tf.TensorInfo };
      const { axis, batchDims } = args.attrs as unknown as { axis: number; batchDims: number };
      const bytes = x.dtype === 'float32' || x.dtype === 'int32' ? 4 : 0;
      if (!bytes || (axis ?? 0) !== 0 || (batchDims ?? 0) !== 0 || x.shape.length < 1 || indices.shape.length !== 1) {
        return stock.kernelFunc(args);
      }
      const be = args.backend as unknown as WasmBackendView;
      const idx = be.readSync(indices.dataId);
      const rows = x.shape[0];
      for (let i = 0; i < idx.length; i++) {
        if (!(idx[i] >= 0 && idx[i] < rows))
          throw new Error(`GatherV2: the index value ${idx[i]} is not in [0, ${rows - 1}]`);
      }
      const rowBytes = (x.shape.slice(1).reduce((a, b) => a * b, 1) * bytes) | 0;
      const out = be.makeOutput([idx.length, ...x.shape.slice(1)], x.dtype);
      if (rowBytes === 0 || idx.length === 0) return out;
      const src = be.dataIdMap.get(x.dataId).memoryOffset;
      const dst = be.dataIdMap.get(out.dataId).memoryOffset;
      const heap = be.wasm.HEAPU8; // read after makeOutput: allocation may have grown memory
      for (let i = 0; i < idx.length; i++)
        heap.copyWithin(dst + i * rowBytes, src + idx[i] * rowBytes, src + (idx[i] + 1) * rowBytes);
      return out;
    },
  };
  tf.registerKernel(config);
}
