import { LENET5_GROUPS } from './model/spec';
import { PRESETS } from './presets';

export { PRESETS };

/**
 * The run configuration of an LLPF path: one declarative table (TensorFlow Playground's
 * `PROPS` idea) used by the UI form, the URL, the CLI flags and run.json alike.
 */
export type Mode = 'm2m' | 'm2o';
export type StepRule = 'max' | 'sum';
/** How mini-batches are cut and shuffled; see `BatchSemantics` in data/batches.ts (SPEC §3.3, §8). */
export type BatchMode = 'reference' | 'fixed';

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
  /** Train on the reference's augmented images: rotation ±5° (nearest), then a padded 28-crop (SPEC §2). */
  augment: boolean;
  /** Train on the first N training images only (0 = all 60,000). */
  trainSubset: number;
  /** "reference": a new shuffle every tick, short last batch kept; "fixed": one shuffle per epoch, equal batches. */
  batchMode: BatchMode;
  /** Layer groups that move toward the destination (comma list; default all). */
  moveLayers: string[];
  /** Layer groups that train (default all). */
  trainLayers: string[];
  /** Evaluate on the test subset every this many ticks (the full test set at the first and last tick). */
  evalEvery: number;
  /** Test images evaluated between the first and last tick: 10,000 = all; fewer = a random subset (seeded). */
  evalSubset: number;
  /** Train loss on the first N training images (no augmentation) at the evaluated ticks (0 = off). */
  trainEvalSamples: number;
  /** Keep a copy of every tensor every this many ticks, for the per-layer PCA (0 = never). */
  snapshotEvery: number;
  /** Ours (docs/ALGORITHMS.md, "Schedules"): "equal" steps every group by the step rule; "together" steps
   *  each group its remaining distance over the ticks left, so all groups arrive at the last tick. */
  groupSteps: GroupSteps;
  /** Ours: halve the step after a tick whose training ends above the threshold at roundsMax; grow it back
   *  (×1.25, up to 1) after a tick that met the threshold in roundsMin steps. */
  adaptive: boolean;
}

export type GroupSteps = 'equal' | 'together';

type FieldSpec =
  | { kind: 'int'; min: number; max?: number; flag: string; help: string }
  | { kind: 'number'; min: number; flag: string; help: string }
  | { kind: 'bool'; flag: string; help: string }
  | { kind: 'enum'; values: readonly string[]; flag: string; help: string }
  | { kind: 'layers'; flag: string; help: string };

const int = (flag: string, min: number, help: string, max?: number): FieldSpec => ({
  kind: 'int',
  min,
  max,
  flag,
  help,
});
const num = (flag: string, min: number, help: string): FieldSpec => ({ kind: 'number', min, flag, help });
const bool = (flag: string, help: string): FieldSpec => ({ kind: 'bool', flag, help });
const oneOf = (flag: string, values: readonly string[], help: string): FieldSpec => ({
  kind: 'enum',
  values,
  flag,
  help,
});

/** Every run field with its CLI flag (also its URL parameter) and the help shown in the form and `--help`. */
export const RUN_FIELDS: { [K in keyof RunConfig]: FieldSpec } = {
  mode: oneOf(
    'mode',
    ['m2m', 'm2o'],
    'M2M: path from model A to model B (Algorithm 1). M2O: from A toward the origin (Algorithm 2).',
  ),
  ticks: int('ticks', 0, 'T, the number of ticks. Each tick moves, corrects, trains and corrects once.'),
  stepF: num('step-f', 0, 'step_f: fixed step length per tick, in parameter units (per layer group).'),
  stepA: num('step-a', 0, 'step_a: step as a fraction of the remaining distance to the destination.'),
  rule: oneOf(
    'rule',
    ['max', 'sum'],
    'Step rule: max(step_f, step_a·n) as the reference code, or step_a·n + step_f (paper text).',
  ),
  clamp: bool('clamp', 'Stop exactly at the destination instead of overshooting it.'),
  roundsMin: int('rounds-min', 0, 'Minimum SGD steps per tick; also the window of the loss moving average.'),
  roundsMax: int('rounds-max', 0, 'Maximum SGD steps per tick (0: no training, pure move + correction).'),
  threshold: num('threshold', 0, 'Training stops once the moving-average mini-batch loss is at or below this.'),
  lr: num('lr', 0, 'lr_base: plain SGD learning rate while finding the path.'),
  batch: int('batch', 1, 'Mini-batch size.', 60000),
  seed: int('seed', 0, 'Seed of the mini-batch order: the same config and seed give the same path.'),
  augment: bool(
    'augment',
    'Train on augmented images as the reference does: rotation up to ±5° (nearest pixel), ' +
      'then a random 28×28 crop of the image padded by 2. Off: the clean images.',
  ),
  trainSubset: int(
    'train-subset',
    0,
    'Train on the first N training images only (0: all 60,000). With --batch N every step sees them all.',
    60000,
  ),
  batchMode: oneOf(
    'batch-mode',
    ['reference', 'fixed'],
    "reference: a new shuffle of the training set every tick, keeping the short last batch (the reference's " +
      'DataLoader). fixed: one shuffle per epoch and equal batches, the ragged tail dropped (faster on a GPU).',
  ),
  moveLayers: { kind: 'layers', flag: 'layers', help: 'Layer groups that move toward the destination.' },
  trainLayers: { kind: 'layers', flag: 'train-layers', help: 'Layer groups that are trained.' },
  evalEvery: int('eval-every', 1, 'Evaluate test loss/accuracy every this many ticks.'),
  evalSubset: int(
    'eval-subset',
    1,
    "Test images evaluated between the first and last tick: 10000 is the whole test set (the paper's); fewer " +
      "is a random subset drawn with the run's seed, labelled with its size. The first and last tick use all.",
    10000,
  ),
  trainEvalSamples: int(
    'train-eval-samples',
    0,
    'Train loss on the first N training images, no augmentation, at every evaluated tick: the measure of the ' +
      'straight line and the curves (SPEC §9), so the path and the baselines compare on one axis. 0: off.',
    60000,
  ),
  snapshotEvery: int('snapshot-every', 0, 'Record every tensor every this many ticks for the PCA panels (0: never).'),
  groupSteps: oneOf(
    'group-steps',
    ['equal', 'together'],
    'Ours, not the paper: "together" moves each layer group its remaining distance divided by the ticks left, ' +
      'so every group arrives at the last tick (step-f/step-a unused); "equal" follows the step rule.',
  ),
  adaptive: bool(
    'adaptive',
    'Ours, not the paper: halve the step after a tick whose training ends above the threshold at rounds-max; ' +
      'grow it back after a tick that meets the threshold in rounds-min steps.',
  ),
};

const ALL = [...LENET5_GROUPS];

/**
 * What runs saved before a field existed did, for configs read back from run.json or storage:
 * clean images, all training images, fixed batch shapes, no fixed-train-subset loss.
 */
export const LEGACY_DEFAULTS: Pick<
  RunConfig,
  'augment' | 'trainSubset' | 'batchMode' | 'groupSteps' | 'adaptive' | 'trainEvalSamples'
> = {
  trainEvalSamples: 0,
  augment: false,
  trainSubset: 0,
  batchMode: 'fixed',
  groupSteps: 'equal',
  adaptive: false,
};

/** Fills the fields an older saved config lacks with what that run did (`LEGACY_DEFAULTS`), then validates. */
export function upgradeConfig(saved: Omit<RunConfig, keyof typeof LEGACY_DEFAULTS> & Partial<RunConfig>): RunConfig {
  return validateConfig({ ...LEGACY_DEFAULTS, ...saved });
}

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
  if (c.trainSubset > 0 && c.batch > c.trainSubset) throw new Error('--batch must not exceed --train-subset');
  if (c.stepF === 0 && c.stepA === 0 && c.ticks > 0)
    throw new Error('--step-f and --step-a are both 0: the path would not move');
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
      if (!['true', 'false', '1', '0', ''].includes(text))
        throw new Error(`--${spec.flag}: "${text}" is not true or false`);
      return (text === 'true' || text === '1' || text === '') as RunConfig[K];
    case 'enum':
      return text as RunConfig[K];
    case 'layers':
      return (
        text === 'all'
          ? [...ALL]
          : text
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
      ) as RunConfig[K];
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
