import { deriveSeed } from '../random';

/**
 * Endpoint training (paper Table 3) as one declarative table, like the path's RUN_FIELDS: used by
 * the CLI's `train` flags, the worker's `trainEndpoint` message and the metadata of the saved model.
 */
export interface EndpointConfig {
  /** Seed of the initial weights and of the mini-batch order. */
  seed: number;
  /** Passes over the 60,000 training images (fractional allowed). */
  epochs: number;
  /** SGD learning rate (paper: 0.01). */
  lr: number;
  /** Heavy-ball momentum (paper: 0.9). */
  momentum: number;
  /** Mini-batch size (paper: 64). */
  batch: number;
  /** Train on augmented images (rotation ±5°, crop with padding 2; docs/ALGORITHMS.md, "Mini-batches"). */
  augment: boolean;
  /** Test images evaluated after each epoch (the first N; 10,000 = all). */
  testSamples: number;
  /** Read the training loss back every this many steps for progress (each read is a device sync). */
  reportEvery: number;
}

type EndpointField =
  | { kind: 'int'; min: number; max?: number; flag: string; help: string }
  | { kind: 'number'; min: number; exclusive?: boolean; flag: string; help: string }
  | { kind: 'bool'; flag: string; help: string };

export const ENDPOINT_FIELDS: { [K in keyof EndpointConfig]: EndpointField } = {
  seed: { kind: 'int', min: 0, flag: 'seed', help: 'Seed of the initial weights and the mini-batch order.' },
  epochs: { kind: 'number', min: 0, exclusive: true, flag: 'epochs', help: 'Epochs of SGD (paper: 20).' },
  lr: { kind: 'number', min: 0, flag: 'lr', help: 'SGD learning rate (paper: 0.01).' },
  momentum: { kind: 'number', min: 0, flag: 'momentum', help: 'SGD momentum (paper: 0.9).' },
  batch: { kind: 'int', min: 1, max: 60000, flag: 'batch', help: 'Mini-batch size (paper: 64).' },
  augment: { kind: 'bool', flag: 'augment', help: 'Augmented images (rotation ±5°, crop padding 2) as the reference.' },
  testSamples: {
    kind: 'int',
    min: 1,
    max: 10000,
    flag: 'test-samples',
    help: 'Test images evaluated after each epoch.',
  },
  reportEvery: { kind: 'int', min: 1, flag: 'report-every', help: 'Report the training loss every this many steps.' },
};

/** Paper Table 3 with the reference's augmentation (docs/ALGORITHMS.md, "Mini-batches"). */
export const PAPER_ENDPOINT: EndpointConfig = {
  seed: 1,
  epochs: 20,
  lr: 0.01,
  momentum: 0.9,
  batch: 64,
  augment: true,
  testSamples: 10000,
  reportEvery: 50,
};

/** The one place that derives the seed of an endpoint's mini-batch stream (reproducibility rests on it). */
export const endpointBatchSeed = (seed: number): number => deriveSeed(seed, 'batches');

/** Checks every field; throws one message naming the first bad one. */
export function validateEndpointConfig(c: EndpointConfig): EndpointConfig {
  for (const [key, spec] of Object.entries(ENDPOINT_FIELDS) as Array<[keyof EndpointConfig, EndpointField]>) {
    const v = c[key] as unknown;
    const bad = (why: string) => new Error(`--${spec.flag}: ${why}, got ${JSON.stringify(v)}`);
    switch (spec.kind) {
      case 'int':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < spec.min || (spec.max !== undefined && v > spec.max)) {
          throw bad(`must be an integer from ${spec.min}${spec.max !== undefined ? ` to ${spec.max}` : ''}`);
        }
        break;
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v) || v < spec.min || (spec.exclusive && v === spec.min)) {
          throw bad(`must be a number ${spec.exclusive ? '>' : '≥'} ${spec.min}`);
        }
        break;
      case 'bool':
        if (typeof v !== 'boolean') throw bad('must be true or false');
        break;
      default: {
        const never: never = spec;
        throw new Error(`unhandled field ${String(never)}`);
      }
    }
  }
  return c;
}

/** Applies textual overrides (flag name → text, or true for a bare boolean flag) to a base, then validates. */
export function endpointConfigFrom(
  base: EndpointConfig,
  flags: Record<string, string | boolean | undefined>,
): EndpointConfig {
  const c: Record<string, unknown> = { ...base };
  for (const [key, spec] of Object.entries(ENDPOINT_FIELDS) as Array<[keyof EndpointConfig, EndpointField]>) {
    const raw = flags[spec.flag];
    if (raw === undefined) continue;
    if (spec.kind === 'bool') c[key] = raw === true || raw === 'true' || raw === '1' || raw === '';
    else if (typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))) c[key] = Number(raw);
    else throw new Error(`--${spec.flag}: "${String(raw)}" is not a number`);
  }
  return validateEndpointConfig(c as unknown as EndpointConfig);
}

/** The parseArgs options of the table's flags. */
export const ENDPOINT_FLAG_OPTIONS = Object.fromEntries(
  Object.values(ENDPOINT_FIELDS).map((f) => [f.flag, { type: 'string' as const }]),
);

/** The config as safetensors metadata of the trained model (strings). */
export function endpointMetadata(c: EndpointConfig): Record<string, string> {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, String(v)]));
}
