import { layoutWgsl } from './layout';
import { workgroupProgram, type WebGpuProgram } from './program';

// The step's two device scalars (SPEC §8: read back rarely, with `await t.data()`): the batch-mean
// cross-entropy and the number of correct top-1 predictions, summed from the per-image values that
// forwardBackward.ts wrote. One workgroup; each of its threads sums a stride of images.

const T = 64;

/**
 * Mean of WS_LOSS over the batch (`mean` true) or the sum of WS_HIT (`mean` false), as a scalar.
 * Input: ws (the workspace). Uniform `batch`: images.
 */
export function batchScalarProgram(mean: boolean): WebGpuProgram {
  const code = `
${layoutWgsl()}
var<workgroup> part : array<f32, ${T}>;
fn main(index : i32) {
  let t = i32(localId.x);
  var acc = 0.0;
  for (var b = t; b < uniforms.batch; b += ${T}) { acc += ws[b * WS_IMAGE + ${mean ? 'WS_LOSS' : 'WS_HIT'}]; }
  part[t] = acc;
  workgroupBarrier();
  for (var s = ${T / 2}; s > 0; s = s / 2) {
    if (t < s) { part[t] += part[t + s]; }
    workgroupBarrier();
  }
  if (t == 0) { result[0] = ${mean ? 'part[0] / f32(uniforms.batch)' : 'part[0]'}; }
}`;
  return workgroupProgram(mean ? 'lenet5MeanLoss' : 'lenet5Correct', [], ['ws'], 1, T, code, 'batch : i32,');
}
