import { LENET5, LENET5_GROUPS } from '../model/spec';
import type { RunConfig } from '../config';

/** A stretch of ticks with its own layer selection (the paper moves ResNet18 in phases; docs/ALGORITHMS.md). */
export interface Phase {
  ticks: number;
  /** Layer groups that move toward the destination in this phase. */
  moveLayers: readonly string[];
  /** Layer groups that train in this phase (docs/ALGORITHMS.md, "Phases"). */
  trainLayers: readonly string[];
}

/** A run config with an optional phase schedule (CLI `--phases`). */
export type PhasedConfig = RunConfig & { phases?: Phase[] };

/** PyTorch parameter names in state_dict order. */
export const PARAM_NAMES: readonly string[] = LENET5.map((p) => p.name);
export const isWeight = (name: string): boolean => name.endsWith('.weight');

/** Layer group → its tensors, for the groups listed. */
export const groupsOf = (layers: readonly string[]): Map<string, string[]> =>
  new Map(layers.map((g) => [g, LENET5.filter((p) => p.group === g).map((p) => p.name)] as const));

/** The tensors of the groups listed. */
export const tensorsOf = (layers: readonly string[]): Set<string> =>
  new Set(LENET5.filter((p) => layers.includes(p.group)).map((p) => p.name));

/** The schedule of a config: its phases, or one phase of `ticks` with its layer selection. */
export function phasesOf(config: PhasedConfig): Phase[] {
  return config.phases ?? [{ ticks: config.ticks, moveLayers: config.moveLayers, trainLayers: config.trainLayers }];
}

/** T: the number of ticks of the whole schedule. */
export function totalTicks(config: PhasedConfig): number {
  return phasesOf(config).reduce((n, p) => n + p.ticks, 0);
}

/** The phase that tick (1-based) belongs to. */
export function phaseAt(config: PhasedConfig, tick: number): Phase {
  const phases = phasesOf(config);
  let end = 0;
  for (const p of phases) {
    end += p.ticks;
    if (tick <= end) return p;
  }
  return phases[phases.length - 1];
}

/**
 * Parses a phase schedule "conv1,conv2:100;fc1,fc2,fc3:200" (layers that move : ticks). As in the
 * reference, a phase chooses the layers that move; every phase trains `trainLayers` (docs/ALGORITHMS.md).
 */
export function parsePhases(text: string, trainLayers: readonly string[] = LENET5_GROUPS): Phase[] {
  const phases = text
    .split(';')
    .filter(Boolean)
    .map((part) => {
      const [layers, ticks] = part.split(':');
      const groups = layers === 'all' ? [...LENET5_GROUPS] : layers.split(',').map((s) => s.trim());
      const n = Number(ticks);
      if (!Number.isInteger(n) || n < 0)
        throw new Error(`--phases: "${part}" needs a tick count, as in conv1,conv2:100`);
      for (const g of groups) {
        if (!(LENET5_GROUPS as readonly string[]).includes(g)) throw new Error(`--phases: unknown layer group "${g}"`);
      }
      return { ticks: n, moveLayers: groups, trainLayers: [...trainLayers] };
    });
  if (!phases.length) throw new Error('--phases: empty schedule');
  return phases;
}
