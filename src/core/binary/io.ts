import { toTorchLayout, fromTorchLayout } from '../model/layout';
import { asFloat32, parseSafetensors, writeSafetensors, SafetensorsError } from '../io/safetensors';
import { BATCH_NORMS, BINARY_LAYERS, BN_FIELDS, binarize, shapeOf, weightSpec, type BinaryHost } from './model';

/**
 * Binary LeNet5 files: safetensors with the ±1 weights under `conv1.weight` … `fc3.weight` in
 * PyTorch layouts (SPEC §2) and the batch-norm tensors under PyTorch's BatchNorm names
 * (`bn1.weight`, `bn1.bias`, `bn1.running_mean`, `bn1.running_var`, …), metadata `binary: "true"`.
 */
export class BinaryFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BinaryFileError';
  }
}

export const BINARY_NAMES = [
  ...BINARY_LAYERS.map((l) => `${l}.weight`),
  ...BATCH_NORMS.flatMap(([b]) => BN_FIELDS.map((f) => `${b}.${f}`)),
];

/** True when a parsed file's metadata marks it binary. */
export function isBinaryFile(file: Uint8Array): boolean {
  try {
    return parseSafetensors(file).metadata.binary === 'true';
  } catch {
    return false;
  }
}

/** Serialises a binary model (latent weights are binarised on the way out). */
export function writeBinaryLenet5(host: BinaryHost, metadata: Record<string, string> = {}): Uint8Array {
  const bin = binarize(host);
  return writeSafetensors(
    BINARY_NAMES.map((name) => {
      const v = bin.get(name);
      if (!v) throw new Error(`binary model: missing ${name}`);
      const layer = name.split('.')[0];
      if (layer.startsWith('bn')) return { name, shape: shapeOf(name), data: v };
      const spec = weightSpec(layer);
      return { name, shape: spec.torchShape, data: toTorchLayout(spec, v) };
    }),
    { format: 'pt', model: 'BinaryLeNet5', binary: 'true', ...metadata },
  );
}

/** Parses and validates a binary LeNet5 file into engine-layout host tensors. */
export function readBinaryLenet5(file: Uint8Array): { params: BinaryHost; metadata: Record<string, string> } {
  let parsed;
  try {
    parsed = parseSafetensors(file);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new BinaryFileError(`not a valid safetensors file: ${e.message}`);
    throw e;
  }
  if (parsed.metadata.binary !== 'true')
    throw new BinaryFileError('not a binary LeNet5 file (metadata "binary" is not "true")');
  const params: BinaryHost = new Map();
  for (const name of BINARY_NAMES) {
    const t = parsed.tensors.get(name);
    if (!t) throw new BinaryFileError(`binary LeNet5: missing tensor ${name}`);
    const layer = name.split('.')[0];
    const spec = layer.startsWith('bn') ? null : weightSpec(layer);
    const shape = spec ? spec.torchShape : shapeOf(name);
    if (t.dtype !== 'F32' || t.shape.join() !== shape.join()) {
      throw new BinaryFileError(`${name}: ${t.dtype} [${t.shape.join(', ')}], expected F32 [${shape.join(', ')}]`);
    }
    const v = asFloat32(t);
    if (spec && !v.every((x) => x === 1 || x === -1)) throw new BinaryFileError(`${name}: weights must all be ±1`);
    if (!spec && !v.every(Number.isFinite)) throw new BinaryFileError(`${name}: values must be finite`);
    params.set(name, spec ? fromTorchLayout(spec, v) : Float32Array.from(v));
  }
  return { params, metadata: parsed.metadata };
}
