import * as tf from '../tf';

/**
 * The WASM backend has no Conv2DBackpropFilter kernel (SPEC §8), so training a conv net
 * on it fails. A 2-D filter gradient is the 3-D one with depth 1: this kernel views x and dy
 * as depth-1 volumes (no copy), pads x explicitly when the conv was padded (so the 3-D kernel
 * pads nothing along depth), and runs the WASM Conv3DBackpropFilterV2 kernel.
 * That kernel is wrong for strides > 1 in tfjs 4.22 (tests/core/backends shows it), so strided
 * convolutions take a plain host loop instead; LeNet5 has none.
 */
export function registerWasmConv2DBackpropFilter(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as unknown as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
        attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      if (dataFormat && dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
      const conv3d = tf.getKernel('Conv3DBackpropFilterV2', 'wasm');
      const padKernel = tf.getKernel('PadV2', 'wasm');
      if (!conv3d || !padKernel) throw new Error('WASM backend lacks Conv3DBackpropFilterV2 or PadV2');
      const wasm = backend as tf.KernelBackend & { disposeData(id: object): boolean };

      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
      );
      const { top, bottom, left, right } = info.padInfo;
      let padded: tf.TensorInfo | null = null;
      if (top || bottom || left || right) {
        padded = padKernel.kernelFunc({
          inputs: { x },
          backend,
          attrs: {
            paddings: [
              [0, 0],
              [top, bottom],
              [left, right],
              [0, 0],
            ],
            constantValue: 0,
          },
        }) as tf.TensorInfo;
      }
      const src = padded ?? x;
      if (info.strideHeight > 1 || info.strideWidth > 1) {
        const dw = stridedFilterGradOnHost(wasm, src, dy, filterShape, info.strideHeight, info.strideWidth);
        if (padded) wasm.disposeData(padded.dataId);
        return dw;
      }
      const [n, h, w, c] = src.shape;
      const [, oh, ow, oc] = dy.shape;
      const dw = conv3d.kernelFunc({
        inputs: {
          x: { dataId: src.dataId, shape: [n, 1, h, w, c], dtype: src.dtype },
          dy: { dataId: dy.dataId, shape: [dy.shape[0], 1, oh, ow, oc], dtype: dy.dtype },
        },
        backend,
        attrs: { strides: [1, info.strideHeight, info.strideWidth], pad: 'valid', filterShape: [1, ...filterShape] },
      }) as tf.TensorInfo;
      if (padded) wasm.disposeData(padded.dataId);
      return { dataId: dw.dataId, shape: [...filterShape], dtype: dw.dtype };
    },
  });
}

type HostBackend = tf.KernelBackend & { readSync(id: object): tf.backend_util.BackendValues };

/** dW[y, x, i, o] = Σ_{b, r, s} xPadded[b, r·sh + y, s·sw + x, i] · dy[b, r, s, o], on the host. */
function stridedFilterGradOnHost(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  filterShape: [number, number, number, number],
  sh: number,
  sw: number,
): tf.TensorInfo {
  const xs = (backend as HostBackend).readSync(x.dataId) as Float32Array;
  const ds = (backend as HostBackend).readSync(dy.dataId) as Float32Array;
  const [n, h, w, cin] = x.shape;
  const [, oh, ow, cout] = dy.shape;
  const [kh, kw] = filterShape;
  const out = new Float32Array(kh * kw * cin * cout);
  for (let b = 0; b < n; b++)
    for (let r = 0; r < oh; r++)
      for (let s = 0; s < ow; s++)
        for (let y = 0; y < kh; y++)
          for (let xx = 0; xx < kw; xx++) {
            const xBase = ((b * h + r * sh + y) * w + s * sw + xx) * cin;
            const dBase = ((b * oh + r) * ow + s) * cout;
            for (let i = 0; i < cin; i++) {
              const xv = xs[xBase + i];
              const oBase = ((y * kw + xx) * cin + i) * cout;
              for (let o = 0; o < cout; o++) out[oBase + o] += xv * ds[dBase + o];
            }
          }
  const shape = [...filterShape];
  return { dataId: backend.write(out, shape, 'float32'), shape, dtype: 'float32' };
}
