import { useEffect, useState } from 'react';
import { afterNextFrame } from '../../frames';

/** The stages of a run's panels (PathPanels: loss; distance; variance; the PCA grid) … */
export const RUN_PANEL_STAGES = 3;
/** … and the frames from a run's request until its last chart is on screen (the PCA charts come a frame later). */
export const RUN_PANEL_FRAMES = RUN_PANEL_STAGES + 2;

/**
 * 0 on the first render, then one more after each frame, up to `count`: the panels of a run mount one
 * per frame (the ten PCA charts a frame after their panel), so their commit, style, layout and paint are
 * spread over frames rather than paid in one task (docs/UI.md, "A UI that never blocks").
 */
export function useStaged(count: number): number {
  const [stage, setStage] = useState(0);
  // After the frame that drew this stage (or a while, if no frame comes).
  useEffect(() => (stage < count ? afterNextFrame(() => setStage((s) => s + 1)) : undefined), [stage, count]);
  return stage;
}
