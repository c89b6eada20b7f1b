import { LENET5, size, type HostParams } from '../model/lenet5';
import { fromTorchLayout, toTorchLayout } from '../model/layout';
import { asFloat32, parseSafetensors, SafetensorsError, writeSafetensors } from './safetensors';

/**
 * LeNet5 checkpoints as safetensors with PyTorch names and layouts (README, "CLI"), so a
 * `state_dict` saved by `safetensors.torch.save_file` loads here and ours loads there.
 */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

/** Parses and validates a LeNet5 safetensors file into engine-layout host parameters. */
export function readLenet5(file: Uint8Array): { params: HostParams; metadata: Record<string, string> } {
  let parsed;
  try {
    parsed = parseSafetensors(file);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new ModelFileError(`not a valid safetensors file: ${e.message}`);
    throw e;
  }
  const expected = new Set(LENET5.map((p) => p.name));
  const extra = [...parsed.tensors.keys()].filter((n) => !expected.has(n));
  if (extra.length) throw new ModelFileError(`not a LeNet5 model: unexpected tensors ${extra.slice(0, 5).join(', ')}`);
  const params: HostParams = new Map();
  for (const spec of LENET5) {
    const t = parsed.tensors.get(spec.name);
    if (!t) throw new ModelFileError(`not a LeNet5 model: missing tensor ${spec.name}`);
    if (t.dtype !== 'F32') throw new ModelFileError(`${spec.name}: dtype ${t.dtype}, expected F32`);
    if (t.shape.length !== spec.torchShape.length || t.shape.some((d, i) => d !== spec.torchShape[i])) {
      throw new ModelFileError(
        `${spec.name}: shape [${t.shape.join(', ')}], expected PyTorch shape [${spec.torchShape.join(', ')}]`,
      );
    }
    const values = asFloat32(t);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]))
        throw new ModelFileError(`${spec.name}: element ${i} is ${values[i]} (weights must be finite)`);
    }
    params.set(spec.name, fromTorchLayout(spec, values));
  }
  return { params, metadata: parsed.metadata };
}

/** Serialises engine-layout host parameters as a PyTorch-layout safetensors file. */
export function writeLenet5(params: HostParams, metadata: Record<string, string> = {}): Uint8Array {
  return writeSafetensors(
    LENET5.map((spec) => {
      const v = params.get(spec.name);
      if (!v || v.length !== size(spec.shape))
        throw new Error(`parameter ${spec.name} is missing or has the wrong size`);
      return { name: spec.name, shape: spec.torchShape, data: toTorchLayout(spec, v) };
    }),
    { format: 'pt', model: 'LeNet5', ...metadata },
  );
}

/** Metadata key of a path checkpoint's mini-batch stream cursor (JSON). */
const CURSOR_KEY = 'batchCursor';

/**
 * A path checkpoint as a LeNet5 safetensors file: P in PyTorch layout (loadable as a model), with
 * the tick and the mini-batch stream cursor in the metadata, so a run continues exactly
 * (docs/ALGORITHMS.md, "Exact resume").
 */
export function writePathCheckpoint(
  c: { tick: number; params: HostParams; cursor: unknown },
  metadata: Record<string, string> = {},
): Uint8Array {
  return writeLenet5(c.params, { ...metadata, tick: String(c.tick), [CURSOR_KEY]: JSON.stringify(c.cursor) });
}

/** Reads a path checkpoint (or a plain model file with a tick: cursor null, the stream restarts). */
export function readPathCheckpoint(file: Uint8Array): {
  tick: number;
  params: HostParams;
  cursor: unknown;
  metadata: Record<string, string>;
} {
  const { params, metadata } = readLenet5(file);
  const tick = Number(metadata.tick ?? 0);
  if (!Number.isInteger(tick) || tick < 0) throw new ModelFileError(`checkpoint tick "${metadata.tick}" is not a tick`);
  let cursor: unknown = null;
  if (metadata[CURSOR_KEY]) {
    try {
      cursor = JSON.parse(metadata[CURSOR_KEY]);
    } catch {
      throw new ModelFileError('checkpoint batchCursor is not JSON');
    }
  }
  return { tick, params, cursor, metadata };
}
