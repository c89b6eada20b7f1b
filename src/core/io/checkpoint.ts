import { LENET5, size, type HostParams } from '../model/lenet5';
import { fromTorchLayout, toTorchLayout } from '../model/layout';
import { asFloat32, parseSafetensors, SafetensorsError, writeSafetensors } from './safetensors';

/**
 * LeNet5 checkpoints as safetensors with PyTorch names and layouts (SPEC §2), so a
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
      throw new ModelFileError(`${spec.name}: shape [${t.shape.join(', ')}], expected PyTorch shape [${spec.torchShape.join(', ')}]`);
    }
    const values = asFloat32(t);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) throw new ModelFileError(`${spec.name}: element ${i} is ${values[i]} (weights must be finite)`);
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
      if (!v || v.length !== size(spec.shape)) throw new Error(`parameter ${spec.name} is missing or has the wrong size`);
      return { name: spec.name, shape: spec.torchShape, data: toTorchLayout(spec, v) };
    }),
    { format: 'pt', model: 'LeNet5', ...metadata },
  );
}
