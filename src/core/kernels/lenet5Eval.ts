import * as tf from '../tf';
import { LENET5 } from '../model/spec';
import type { EvalSet } from '../data/batches';
import { IMAGE_PIXELS, NUM_CLASSES, normalise } from '../data/mnist';
import type { Evaluation } from '../train/evaluate';
import { KERNEL_OFFSETS, lenet5Kernel } from './lenet5Kernel';
import { isLenet5Params } from './lenet5Grad';

/** Images per kernel call: as fast as 1,000 (23 µs an image in Node) with a quarter of the memory. */
export const EVAL_KERNEL_BATCH = 250;
/** The kernel's forward phases (KERNEL_PHASES 0–3): copies, conv1, conv2, dense and loss; no backward. */
const FORWARD_PHASES = 4;

/**
 * evaluate() through the hand-written LeNet5 kernel's forward pass: loss and accuracy of a model on a whole
 * evaluation set, from the set's host images (normalised into the kernel's memory, as createEvalSet normalised
 * them for the device). Every evaluation on wasm goes through it: path ticks, the lines, the plane's grid, curves
 * and AutoNEB. Only on wasm, whose tensors read back synchronously, and for a LeNet5 parameter map; null
 * otherwise, and the caller evaluates with TF.js.
 */
export function kernelEvaluate(params: ReadonlyMap<string, tf.Tensor>, set: EvalSet): Evaluation | null {
  if (tf.getBackend() !== 'wasm' || !isLenet5Params(params)) return null;
  if (!lenet5Kernel(EVAL_KERNEL_BATCH)) return null;
  const { images, labels, count } = set.source;
  const host = LENET5.map(
    (p) => [params.get(p.name)!.dataSync() as Float32Array, KERNEL_OFFSETS.get(p.name)!] as const,
  );
  // Sums in double precision; the kernel gives each call's mean loss and its correct count.
  let lossSum = 0;
  let hits = 0;
  for (let start = 0; start < count; start += EVAL_KERNEL_BATCH) {
    const n = Math.min(EVAL_KERNEL_BATCH, count - start);
    // A call for another batch size lays memory out again: the parameters are written every time.
    const k = lenet5Kernel(n)!;
    for (const [values, at] of host) k.params.set(values, at);
    normalise(images.subarray(start * IMAGE_PIXELS, (start + n) * IMAGE_PIXELS), k.x);
    k.y.fill(0);
    for (let i = 0; i < n; i++) k.y[i * NUM_CLASSES + labels[start + i]] = 1;
    for (let phase = 0; phase < FORWARD_PHASES; phase++) k.runPhase(phase);
    const [loss, correct] = k.output();
    lossSum += loss * n;
    hits += correct;
  }
  return { loss: lossSum / count, accuracy: hits / count, samples: count };
}
