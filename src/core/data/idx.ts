/**
 * Reader for the IDX format of the MNIST files (LeCun et al.): a 4-byte magic
 * (0, 0, dtype code, number of dimensions), one big-endian uint32 per dimension, then the data.
 * Only unsigned bytes (code 0x08) occur in MNIST, and only those are accepted.
 */
export interface IdxArray {
  /** Size of each dimension, outermost first. */
  dims: number[];
  /** Row-major data, one byte per element (a view into the input, not a copy). */
  data: Uint8Array;
}

export class IdxFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdxFormatError';
  }
}

const UBYTE = 0x08;

/** Parses an IDX file. `label` names the file in error messages. */
export function parseIdx(bytes: Uint8Array, label = 'IDX file'): IdxArray {
  if (bytes.length < 4) throw new IdxFormatError(`${label}: ${bytes.length} bytes is too short for an IDX header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError(
      `${label}: bad magic number (first two bytes must be 0; is it gzipped or not an IDX file?)`,
    );
  }
  if (bytes[2] !== UBYTE) {
    throw new IdxFormatError(`${label}: data type 0x${bytes[2].toString(16)} is not unsigned byte (0x08)`);
  }
  const ndims = bytes[3];
  if (ndims < 1 || ndims > 4) throw new IdxFormatError(`${label}: ${ndims} dimensions is not a valid MNIST array`);
  const headerLength = 4 + 4 * ndims;
  if (bytes.length < headerLength) throw new IdxFormatError(`${label}: truncated header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerLength;
  if (actual < expected) {
    throw new IdxFormatError(
      `${label}: truncated: header promises ${expected} bytes of data (${dims.join('×')}) but only ${actual} follow`,
    );
  }
  if (actual > expected) {
    throw new IdxFormatError(`${label}: ${actual - expected} unexpected bytes after the ${dims.join('×')} data`);
  }
  return { dims, data: bytes.subarray(headerLength) };
}
