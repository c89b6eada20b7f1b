import { LENET5_GROUPS } from './model/spec';

/**
 * The run configuration of an LLPF path: one declarative table (TensorFlow Playground's
 * `PROPS` idea) used by the UI form, the URL, the CLI flags and run.json alike.
 */
export type Mode = 'm2m' | 'm2o';
export type StepRule = 'max' | 'sum';

export interface RunConfig {
  mode: Mode;
  /** T: number of ticks (move → correct → train → correct). */
  ticks: number;
  /** step_f: fixed part of the step length (parameter-space units). */
  stepF: number;
  /** step_a: part of the step proportional to the distance to the destination. */
  stepA: number;
  /** "max": s = max(step_f, step_a·n) as the reference code; "sum": s = step_a·n + step_f as the paper's text. */
  rule: StepRule;
  /** Never step past the destination (s ≤ n). The reference overshoots; off in the paper preset. */
  clamp: boolean;
  /** Training rounds per tick: at least roundsMin, at most roundsMax (0 = no training). */
  roundsMin: number;
  roundsMax: number;
  /** Stop training once the moving average of the last roundsMin mini-batch losses is ≤ this. */
  threshold: number;
  /** lr_base: plain SGD learning rate during path finding (no momentum, no weight decay). */
  lr: number;
  /** Mini-batch size. */
  batch: number;
  /** Seed of the mini-batch order (and anything else random in the run). */
  seed: number;
  /** Layer groups that move toward the destination (comma list; default all). */
  moveLayers: string[];
  /** Layer groups that train (default all). */
  trainLayers: string[];
  /** Evaluate on the test subset every this many ticks (the full test set at the first and last tick). */
  evalEvery: number;
  /** Size of the test subset used between the first and last tick (first N test images). */
  evalSubset: number;
  /** Keep a copy of every tensor every this many ticks, for the per-layer PCA (0 = never). */
  snapshotEvery: number;
}

type FieldSpec =
  | { kind: 'int'; min: number; max?: number; flag: string; help: string }
  | { kind: 'number'; min: number; flag: string; help: string }
  | { kind: 'bool'; flag: string; help: string }
  | { kind: 'enum'; values: readonly string[]; flag: string; help: string }
  | { kind: 'layers'; flag: string; help: string };

export const RUN_FIELDS: { [K in keyof RunConfig]: FieldSpec } = {
  mode: { kind: 'enum', values: ['m2m', 'm2o'], flag: 'mode', help: 'M2M: path from model A to model B (Algorithm 1). M2O: path from A toward the origin (Algorithm 2).' },
  ticks: { kind: 'int', min: 0, flag: 'ticks', help: 'T, the number of ticks. Each tick moves, corrects, trains and corrects once.' },
  stepF: { kind: 'number', min: 0, flag: 'step-f', help: 'step_f: fixed step length per tick, in parameter units (per layer group).' },
  stepA: { kind: 'number', min: 0, flag: 'step-a', help: 'step_a: step as a fraction of the remaining distance to the destination.' },
  rule: { kind: 'enum', values: ['max', 'sum'], flag: 'rule', help: 'Step rule: max(step_f, step_a·n) as the reference code, or step_a·n + step_f as the paper text.' },
  clamp: { kind: 'bool', flag: 'clamp', help: 'Stop exactly at the destination instead of overshooting it.' },
  roundsMin: { kind: 'int', min: 0, flag: 'rounds-min', help: 'Minimum SGD steps per tick; also the window of the loss moving average.' },
  roundsMax: { kind: 'int', min: 0, flag: 'rounds-max', help: 'Maximum SGD steps per tick (0: no training, pure move + correction).' },
  threshold: { kind: 'number', min: 0, flag: 'threshold', help: 'Training stops once the moving-average mini-batch loss is at or below this.' },
  lr: { kind: 'number', min: 0, flag: 'lr', help: 'lr_base: plain SGD learning rate while finding the path.' },
  batch: { kind: 'int', min: 1, max: 60000, flag: 'batch', help: 'Mini-batch size.' },
  seed: { kind: 'int', min: 0, flag: 'seed', help: 'Seed of the mini-batch order: the same config and seed give the same path.' },
  moveLayers: { kind: 'layers', flag: 'layers', help: 'Layer groups that move toward the destination.' },
  trainLayers: { kind: 'layers', flag: 'train-layers', help: 'Layer groups that are trained.' },
  evalEvery: { kind: 'int', min: 1, flag: 'eval-every', help: 'Evaluate test loss/accuracy every this many ticks.' },
  evalSubset: { kind: 'int', min: 1, max: 10000, flag: 'eval-subset', help: 'Test images used between the first and last tick (the full 10,000 at both ends).' },
  snapshotEvery: { kind: 'int', min: 0, flag: 'snapshot-every', help: 'Record every tensor every this many ticks for the PCA panels (0: never).' },
};

const ALL = [...LENET5_GROUPS];

/** Paper presets (SPEC §3, §4) and short ones that show the effect in minutes on a CPU. */
export const PRESETS: Record<string, RunConfig> = {
  'paper-m2m': {
    mode: 'm2m', ticks: 30000, stepF: 1e-3, stepA: 0, rule: 'max', clamp: false, roundsMin: 5, roundsMax: 5, threshold: 0.1,
    lr: 0.001, batch: 64, seed: 0, moveLayers: ALL, trainLayers: ALL, evalEvery: 100, evalSubset: 1000, snapshotEvery: 100,
  },
  'paper-m2o': {
    mode: 'm2o', ticks: 1400, stepF: 0, stepA: 1e-3, rule: 'max', clamp: false, roundsMin: 5, roundsMax: 100, threshold: 0.02,
    lr: 0.001, batch: 64, seed: 0, moveLayers: ALL, trainLayers: ALL, evalEvery: 10, evalSubset: 1000, snapshotEvery: 20,
  },
  // Larger steps: the same path shape in ~300 ticks (a few minutes on wasm).
  'quick-m2m': {
    mode: 'm2m', ticks: 300, stepF: 0.1, stepA: 0, rule: 'max', clamp: true, roundsMin: 5, roundsMax: 5, threshold: 0.1,
    lr: 0.001, batch: 64, seed: 0, moveLayers: ALL, trainLayers: ALL, evalEvery: 10, evalSubset: 1000, snapshotEvery: 5,
  },
  'quick-m2o': {
    mode: 'm2o', ticks: 300, stepF: 0, stepA: 5e-3, rule: 'max', clamp: false, roundsMin: 5, roundsMax: 50, threshold: 0.02,
    lr: 0.001, batch: 64, seed: 0, moveLayers: ALL, trainLayers: ALL, evalEvery: 10, evalSubset: 1000, snapshotEvery: 5,
  },
};

export function presetFor(name: string, mode?: Mode): RunConfig {
  const key = PRESETS[name] ? name : `${name}-${mode ?? 'm2m'}`;
  const p = PRESETS[key];
  if (!p) throw new Error(`unknown preset "${name}" (choose paper or quick)`);
  return structuredClone(p);
}

/** Checks every field; throws one message naming the first bad one. */
export function validateConfig(c: RunConfig): RunConfig {
  for (const [key, spec] of Object.entries(RUN_FIELDS) as Array<[keyof RunConfig, FieldSpec]>) {
    const v = c[key] as unknown;
    const bad = (why: string) => new Error(`--${spec.flag}: ${why}, got ${JSON.stringify(v)}`);
    switch (spec.kind) {
      case 'int':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < spec.min || (spec.max !== undefined && v > spec.max)) {
          throw bad(`must be an integer from ${spec.min}${spec.max !== undefined ? ` to ${spec.max}` : ''}`);
        }
        break;
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v) || v < spec.min) throw bad(`must be a number ≥ ${spec.min}`);
        break;
      case 'bool':
        if (typeof v !== 'boolean') throw bad('must be true or false');
        break;
      case 'enum':
        if (typeof v !== 'string' || !spec.values.includes(v)) throw bad(`must be one of ${spec.values.join(', ')}`);
        break;
      case 'layers':
        if (!Array.isArray(v) || v.length === 0 || !v.every((g) => (ALL as string[]).includes(g))) {
          throw bad(`must be a non-empty list of ${ALL.join(', ')}`);
        }
        break;
      default: {
        const never: never = spec;
        throw new Error(`unhandled field ${String(never)}`);
      }
    }
  }
  if (c.roundsMax > 0 && c.roundsMin > c.roundsMax) throw new Error('--rounds-min must not exceed --rounds-max');
  if (c.stepF === 0 && c.stepA === 0 && c.ticks > 0) throw new Error('--step-f and --step-a are both 0: the path would not move');
  return c;
}

/** Parses one field from text (a URL parameter or CLI flag value). */
export function parseField<K extends keyof RunConfig>(key: K, text: string): RunConfig[K] {
  const spec = RUN_FIELDS[key];
  switch (spec.kind) {
    case 'int':
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n)) throw new Error(`--${spec.flag}: "${text}" is not a number`);
      return n as RunConfig[K];
    }
    case 'bool':
      if (!['true', 'false', '1', '0', ''].includes(text)) throw new Error(`--${spec.flag}: "${text}" is not true or false`);
      return (text === 'true' || text === '1' || text === '') as RunConfig[K];
    case 'enum':
      return text as RunConfig[K];
    case 'layers':
      return (text === 'all' ? [...ALL] : text.split(',').map((s) => s.trim()).filter(Boolean)) as RunConfig[K];
  }
}

export function formatField<K extends keyof RunConfig>(key: K, value: RunConfig[K]): string {
  return Array.isArray(value) ? (value.length === ALL.length ? 'all' : value.join(',')) : String(value);
}

/** Applies textual overrides (flag name → text) to a base config, then validates. */
export function applyOverrides(base: RunConfig, overrides: Record<string, string | boolean | undefined>): RunConfig {
  const c = structuredClone(base);
  for (const key of Object.keys(RUN_FIELDS) as Array<keyof RunConfig>) {
    const raw = overrides[RUN_FIELDS[key].flag];
    if (raw === undefined) continue;
    (c as unknown as Record<string, unknown>)[key] = parseField(key, raw === true ? '' : String(raw));
  }
  return validateConfig(c);
}

/** The config as URL search parameters (only fields that differ from the base preset). */
export function toSearchParams(c: RunConfig, base: RunConfig): URLSearchParams {
  const p = new URLSearchParams();
  for (const key of Object.keys(RUN_FIELDS) as Array<keyof RunConfig>) {
    const a = formatField(key, c[key]);
    if (a !== formatField(key, base[key])) p.set(RUN_FIELDS[key].flag, a);
  }
  return p;
}
