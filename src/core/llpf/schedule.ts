import type { RunConfig } from '../config';
import type { MoveOptions } from './move';
import type { TrainUntilResult } from './trainUntil';

/**
 * Our schedule extensions (docs/ALGORITHMS.md, "Schedules (ours)"; off in the paper presets).
 * "together": each group moves its remaining distance over the ticks left (the rule "sum" with
 * step_a = 1/ticksLeft, step_f = 0), so every group arrives at the last tick instead of small
 * layers arriving first. `stepScale` (the adaptive multiplier, 1 when off) scales either rule.
 */
export function scheduledMove(config: RunConfig, tick: number, total: number, stepScale: number): MoveOptions {
  if (config.groupSteps === 'together') {
    const ticksLeft = Math.max(1, total - tick + 1);
    return { stepF: 0, stepA: stepScale / ticksLeft, rule: 'sum', clamp: true };
  }
  const { stepF, stepA, rule, clamp } = config;
  return { stepF: stepF * stepScale, stepA: stepA * stepScale, rule, clamp };
}

/** The smallest adaptive multiplier: the step never shrinks below 1/64 of the schedule's. */
const MIN_SCALE = 1 / 64;

/**
 * Adaptive step (ours): halve after a tick whose training hit roundsMax above the threshold,
 * grow back ×1.25 (up to 1) after a tick that met the threshold in roundsMin steps.
 */
export function adaptStepScale(config: RunConfig, scale: number, training: TrainUntilResult): number {
  if (!config.adaptive || config.roundsMax === 0 || training.rounds === 0) return scale;
  if (training.rounds >= config.roundsMax && training.movingAverageLoss > config.threshold) {
    return Math.max(MIN_SCALE, scale / 2);
  }
  if (training.rounds <= config.roundsMin) return Math.min(1, scale * 1.25);
  return scale;
}
