import { loadMnistNode } from '../src/node/nodeHost';
import type { Mnist } from '../src/core/data/mnist';

let cached: Mnist | null = null;
/** The real MNIST files, parsed once per test file. */
export function mnist(): Mnist {
  cached ??= loadMnistNode();
  return cached;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** max|a − b| / max|b|: the error of `a` relative to the largest entry of `b` (kernel-against-autodiff checks). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / Math.max(m, 1e-30);
}
