import * as tf from '../../tf';

/**
 * The slice of tfjs-backend-webgpu 4.22 that the fused LeNet5 step uses (issue #10, SPEC §8), typed
 * here so src/core needs no WebGPU type package: `runWebGPUProgram(program, inputs, dtype, uniforms)`
 * compiles (and caches, by `shaderKey` plus input ranks and dtypes) a WGSL compute shader whose
 * binding 0 is the read_write output `result`, then one read-only storage array per
 * `variableNames` entry, then a uniform struct `uniforms`; it records exactly one
 * `dispatchWorkgroups(...dispatch)` into the backend's shared compute pass. Tensors stay on the device.
 */
export interface WebGpuProgram {
  /** Cache key of the shader (the backend appends input ranks and dtypes). */
  shaderKey: string;
  /** Shape of the output tensor the backend allocates. */
  outputShape: number[];
  /** Names of the read-only input arrays, in input order. */
  variableNames: string[];
  /** Workgroups per dimension. */
  dispatch: [number, number, number];
  /** {x: [0]}: a flat layout, so the backend calls `main(globalIndex)`. */
  dispatchLayout: { x: number[] };
  /** Threads per workgroup. */
  workgroupSize: [number, number, number];
  /** Adds `uniforms.size`, the output's element count (then every elementwise shader reads the uniforms,
   *  which WebGPU's 'auto' layout requires of the bound uniform buffer). */
  size?: boolean;
  /** Extra uniform fields, WGSL struct syntax (`batch : i32, lr : f32,`). */
  uniforms?: string;
  /** WGSL with `fn main(index : i32)`; may use the backend's `localId`, `workgroupId` privates. */
  getUserCode: () => string;
}

/** One program-defined uniform value, in the order of `WebGpuProgram.uniforms`. */
export interface Uniform {
  type: 'int32' | 'float32';
  data: number[];
}

interface WebGpuBackendLike {
  runWebGPUProgram(
    program: WebGpuProgram,
    inputs: tf.TensorInfo[],
    outputDtype: 'float32',
    uniforms?: Uniform[],
  ): tf.TensorInfo;
}

/** Threads per workgroup of the element-wise programs. */
export const THREADS = 64;

/** Runs a program on the webgpu backend; the result is a tensor tracked by the engine (tidy-safe). */
export function runProgram(program: WebGpuProgram, inputs: tf.Tensor[], uniforms?: Uniform[]): tf.Tensor {
  const backend = tf.backend() as unknown as WebGpuBackendLike;
  const info = backend.runWebGPUProgram(program, inputs, 'float32', uniforms);
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** A flat program with one thread per output element (`index` < `uniforms.size`), 64 threads a workgroup. */
export function elementwiseProgram(
  shaderKey: string,
  outputShape: number[],
  variableNames: string[],
  userCode: string,
  uniforms?: string,
): WebGpuProgram {
  const n = outputShape.reduce((a, b) => a * b, 1);
  return {
    shaderKey,
    outputShape,
    variableNames,
    dispatch: [Math.ceil(n / THREADS), 1, 1],
    dispatchLayout: { x: [0] },
    workgroupSize: [THREADS, 1, 1],
    size: true,
    uniforms,
    getUserCode: () => userCode,
  };
}

/** A flat program with `groups` workgroups of `threads` threads (the shader reads `workgroupId.x`). */
export function workgroupProgram(
  shaderKey: string,
  outputShape: number[],
  variableNames: string[],
  groups: number,
  threads: number,
  userCode: string,
  uniforms?: string,
): WebGpuProgram {
  return {
    shaderKey,
    outputShape,
    variableNames,
    dispatch: [groups, 1, 1],
    dispatchLayout: { x: [0] },
    workgroupSize: [threads, 1, 1],
    uniforms,
    getUserCode: () => userCode,
  };
}

const templates = new Map<string, WebGpuProgram>();

/**
 * A program built once per `key` and handed out as a fresh shallow copy: the backend writes
 * `shaderKey` and `dispatch` into the object it runs (so one object must not be run twice), while the
 * WGSL source is only generated on the first call.
 */
export function cachedProgram(key: string, make: () => WebGpuProgram): WebGpuProgram {
  let template = templates.get(key);
  if (!template) {
    template = make();
    templates.set(key, template);
  }
  return { ...template, outputShape: [...template.outputShape], dispatch: [...template.dispatch] };
}
