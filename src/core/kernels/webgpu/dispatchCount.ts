import * as tf from '../../tf';

/**
 * Counts what the TF.js webgpu backend sends to the GPU (issue #10: a step should be dispatch-bound
 * at ≤ 40 dispatches): every `dispatchWorkgroups` of its compute passes and every `queue.submit`.
 * The backend records all programs into one shared command encoder (tfjs-backend-webgpu 4.22
 * `recordAndSubmit`), created in `ensureCommandEncoderReady`; the counter wraps that method and the
 * queue's submit on the backend instance, nothing global. For benches and tests, not the hot path.
 */
export interface GpuCounts {
  /** Compute dispatches recorded (one per WebGPU program run). */
  dispatches: number;
  /** Command buffers submitted to the queue. */
  submits: number;
}

interface PassLike {
  dispatchWorkgroups(...size: number[]): void;
}
interface EncoderLike {
  beginComputePass(descriptor?: object): PassLike;
}
interface BackendLike {
  commandEncoder: EncoderLike | null;
  computePassEncoder: PassLike | null;
  ensureCommandEncoderReady(): void;
  queue: { submit(buffers: unknown[]): void };
}

const counters = new WeakMap<object, GpuCounts>();

/** The running counts of the current webgpu backend (installing the counter on first use); null elsewhere. */
export function gpuCounts(): GpuCounts | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend = tf.backend() as unknown as BackendLike;
  let counts = counters.get(backend);
  if (counts) return counts;
  const c: GpuCounts = { dispatches: 0, submits: 0 };
  counts = c;
  counters.set(backend, c);
  const wrapPass = (pass: PassLike) => {
    const dispatch = pass.dispatchWorkgroups.bind(pass);
    pass.dispatchWorkgroups = (...size: number[]) => {
      c.dispatches++;
      dispatch(...size);
    };
    return pass;
  };
  const wrapEncoder = (encoder: EncoderLike) => {
    const begin = encoder.beginComputePass.bind(encoder);
    encoder.beginComputePass = (descriptor?: object) => wrapPass(begin(descriptor));
  };
  // An encoder (and pass) may already be open: count what they still record.
  if (backend.commandEncoder) wrapEncoder(backend.commandEncoder);
  if (backend.computePassEncoder) wrapPass(backend.computePassEncoder);
  const ensure = backend.ensureCommandEncoderReady.bind(backend);
  backend.ensureCommandEncoderReady = () => {
    const fresh = backend.commandEncoder === null;
    ensure();
    if (fresh && backend.commandEncoder) wrapEncoder(backend.commandEncoder);
  };
  const queue = backend.queue;
  const submit = queue.submit.bind(queue);
  queue.submit = (buffers: unknown[]) => {
    c.submits++;
    submit(buffers);
  };
  return counts;
}

/** Runs `fn` and returns its result with the dispatches and submits it caused (null counts off webgpu). */
export function countGpuWork<T>(fn: () => T): { result: T; counts: GpuCounts | null } {
  const counts = gpuCounts();
  const before = counts ? { ...counts } : null;
  const result = fn();
  if (!counts || !before) return { result, counts: null };
  return {
    result,
    counts: { dispatches: counts.dispatches - before.dispatches, submits: counts.submits - before.submits },
  };
}
