import type { TCurve } from '../../barrier';
import type { ChartSpec } from '../../plots/chart/render';
import type { ChartTrace } from '../../plots/chart/traces';
import type { PlotColors } from '../../plots/theme';
import type { BaselineView } from '../../state/uiState';
import type { BaselineKind } from '../../../worker/protocol';
import { KIND_COLORS } from './PlanePanelPlot';

/** The barrier chart's traces (issue #13), pure: train loss against t for every path kind between A and B. */

export const KIND_NAMES: Record<BaselineKind, string> = {
  line: 'straight line A → B',
  aligned: 'aligned line A → B (B’s units permuted to A)',
  bezier: 'Bezier curve (trained bend, Garipov et al. 2018)',
  polychain: 'polychain A → θ₁ → B (trained bend)',
  autoneb: 'AutoNEB chain (Draxler et al. 2018)',
};
export const KINDS = Object.keys(KIND_NAMES) as BaselineKind[];
const PATH_NAME = 'LLPF path (moving-average train loss of each tick’s mini-batches)';
const PATH_EVAL_NAME = 'LLPF path (train loss on the fixed train subset, evaluated ticks)';

/** What the chart shows: the baselines, AutoNEB's pivots while they relax, the LLPF path and the scrubber. */
export interface BarrierInputs {
  baselines: Partial<Record<BaselineKind, BaselineView | null>>;
  /** AutoNEB's pivots while the chain relaxes (mini-batch loss), or null. */
  pivots: TCurve | null;
  path: TCurve & { evaluated: TCurve };
  scrub: { tick: number; t: number; trainLoss: number } | null;
}

/**
 * Every trace with points; a kind not run yet has none (and no legend entry: the table below lists
 * it). Trace names are stable: the e2e tests find the path and the scrubber by name.
 */
export function barrierChart(inputs: BarrierInputs, colors: PlotColors, fontSize: number): { spec: ChartSpec } {
  const { baselines, pivots, path, scrub } = inputs;
  const traces: ChartTrace[] = KINDS.map((k) => ({
    name: KIND_NAMES[k],
    x: baselines[k]?.t ?? [],
    y: baselines[k]?.trainLoss ?? [],
    mode: 'lines+markers' as const,
    color: KIND_COLORS[k],
    marker: { radius: 3 },
  }));
  traces.push(
    {
      name: 'AutoNEB pivots relaxing (mini-batch loss)',
      x: pivots?.t ?? [],
      y: pivots?.loss ?? [],
      mode: 'lines+markers',
      color: KIND_COLORS.autoneb,
      dash: 'dot',
      marker: { symbol: 'diamond', radius: 5 },
    },
    { name: PATH_NAME, x: path.t, y: path.loss, mode: 'lines', color: KIND_COLORS.path },
    {
      name: PATH_EVAL_NAME,
      x: path.evaluated.t,
      y: path.evaluated.loss,
      mode: 'markers',
      color: KIND_COLORS.path,
      marker: { symbol: 'square', radius: 4.5, outline: colors.paper },
    },
    {
      name: scrub ? `scrubber: tick ${scrub.tick}` : 'scrubber',
      x: scrub ? [scrub.t] : [],
      y: scrub ? [scrub.trainLoss] : [],
      mode: 'markers',
      color: colors.text,
      marker: { radius: 8, hollow: true, outlineWidth: 3 },
      hover: false,
    },
  );
  const shown = traces.map((t) => ({ ...t, legend: t.x.length > 0 }));
  return {
    spec: {
      x: { title: 'position t along the path (0 = model A, 1 = model B)', range: [-0.02, 1.02] },
      y: { title: 'train loss (nats)', rangemode: 'tozero' },
      traces: shown,
      colors,
      fontSize,
    },
  };
}
