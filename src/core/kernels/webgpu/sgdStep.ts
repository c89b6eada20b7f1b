import * as tf from '../../tf';
import { LENET5 } from '../../model/spec';
import type { Params } from '../../model/lenet5';
import type { Batch } from '../../data/batches';
import type { SgdOptions, StepResult } from '../../train/sgd';
import { forwardBackwardProgram, packProgram } from './forwardBackward';
import { batchScalarProgram } from './loss';
import { cachedProgram, runProgram, type Uniform } from './program';
import { applyProgram, updateProgram, type RateSource } from './updates';

/** Largest batch the fused step takes: its workspace (batch × 5,148 floats) stays under 128 MiB. */
export const WEBGPU_MAX_BATCH = 4096;

/** True when `params` and `batch` are a LeNet5 model and an MNIST batch in float32 (the fused step's shapes). */
function fits(params: Params, batch: Batch): boolean {
  const [n, h, w, c] = batch.x.shape;
  if (h !== 28 || w !== 28 || c !== 1 || n < 1 || n > WEBGPU_MAX_BATCH) return false;
  if (batch.y.shape[0] !== n || batch.y.shape[1] !== 10) return false;
  if (batch.x.dtype !== 'float32' || batch.y.dtype !== 'float32' || params.size !== LENET5.length) return false;
  return LENET5.every((p) => {
    const v = params.get(p.name);
    return !!v && v.dtype === 'float32' && tf.util.arraysEqual(v.shape, p.shape);
  });
}

/**
 * sgdStep on the WebGPU backend as a handful of fused WGSL programs (issue #10, SPEC §8), in place
 * of TF.js autodiff's ~140 kernels and ~87 dispatches: pack the small parameters (1 dispatch); forward,
 * softmax cross-entropy and backward of every image, one workgroup per image (1); the mean loss and
 * the hit count as device scalars (2); then per trained tensor its batch-summed gradient fused with
 * the update: θ − lr·g (1), or with momentum v ← μv + g then θ − lr·v (2). Plain SGD on all of
 * LeNet5: 14 dispatches; momentum: 24. Nothing is read back. Same results as autodiffSgdStep to float
 * rounding (tests/core/kernels/webgpuStep.test.ts). Returns null (caller falls back) off webgpu or
 * when the shapes are not LeNet5's.
 */
export function webgpuSgdStep(params: Params, batch: Batch, opts: SgdOptions): StepResult | null {
  if (tf.getBackend() !== 'webgpu' || !fits(params, batch)) return null;
  const mu = opts.momentum ?? 0;
  const velocity = opts.velocity;
  if (mu > 0 && !velocity) throw new Error('momentum needs a velocity map');
  const n = batch.x.shape[0];
  const p = (name: string) => params.get(name)!;
  return tf.tidy(() => {
    const packed = runProgram(cachedProgram('pack', packProgram), [
      p('conv1.weight'),
      p('conv1.bias'),
      p('conv2.weight'),
      p('conv2.bias'),
      p('fc1.bias'),
      p('fc2.bias'),
      p('fc3.bias'),
    ]);
    const images: Uniform[] = [{ type: 'int32', data: [n] }];
    const ws = runProgram(
      cachedProgram(`fb${n}`, () => forwardBackwardProgram(n)),
      [batch.x, batch.y, packed, p('fc1.weight'), p('fc2.weight'), p('fc3.weight')],
      images,
    );
    const loss = runProgram(
      cachedProgram('loss', () => batchScalarProgram(true)),
      [ws],
      images,
    ) as tf.Scalar;
    const correct = runProgram(
      cachedProgram('hits', () => batchScalarProgram(false)),
      [ws],
      images,
    ) as tf.Scalar;

    for (const spec of LENET5) {
      const name = spec.name;
      if (opts.trainable && !opts.trainable.has(name)) continue;
      const rate = typeof opts.lr === 'number' ? opts.lr : (opts.lr.get(name) ?? 0);
      const source: RateSource = typeof rate === 'number' ? 'uniform' : 'tensor';
      const rateInput = typeof rate === 'number' ? [] : [rate];
      const uniforms: Uniform[] = [
        { type: 'int32', data: [n] },
        { type: 'float32', data: [typeof rate === 'number' ? rate : 0] },
        { type: 'float32', data: [mu] },
      ];
      const images = name === 'conv1.weight' ? [batch.x] : [];
      const param = p(name);
      if (mu > 0) {
        const old = velocity!.get(name);
        const mode = old ? 'velocity' : 'velocityFirst';
        const next = runProgram(
          cachedProgram(`${name}/${mode}/${source}`, () => updateProgram(name, mode, source)),
          [ws, ...images, ...(old ? [old] : [])],
          uniforms,
        );
        let v = old;
        if (v) v.assign(next);
        else {
          v = tf.variable(next, false);
          velocity!.set(name, v);
        }
        param.assign(
          runProgram(
            cachedProgram(`${name}/apply/${source}`, () => applyProgram(spec.shape, source)),
            [param, v, ...rateInput],
            uniforms,
          ),
        );
      } else {
        param.assign(
          runProgram(
            cachedProgram(`${name}/sgd/${source}`, () => updateProgram(name, 'sgd', source)),
            [param, ws, ...images, ...rateInput],
            uniforms,
          ),
        );
      }
    }
    return { loss, correct };
  });
}
