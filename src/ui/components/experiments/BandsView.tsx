import { useMemo, useState } from 'react';
import { POINT_TENSORS } from '../../../core/llpf/pathPoint';
import type { ExperimentSummary } from '../../../core/experiments/summary';
import { useExperiments } from '../../experiments/experimentsStore';
import { bandOf, forLogAxis, type Band, type DistanceUnit } from '../../experiments/views';
import { COLORS, LOG_AXIS, rgba, usePlot, type Figure } from './usePlot';

/** Three traces per band: the upper edge, the lower edge filled up to it, and the mean. */
function bandTraces(name: string, b: Band, color: string): Record<string, unknown>[] {
  return [
    {
      x: b.tick,
      y: b.upper,
      mode: 'lines',
      line: { width: 0 },
      hoverinfo: 'skip',
      showlegend: false,
      legendgroup: name,
    },
    {
      x: b.tick,
      y: b.lower,
      mode: 'lines',
      line: { width: 0 },
      fill: 'tonexty',
      fillcolor: rgba(color, 0.2),
      hoverinfo: 'skip',
      showlegend: false,
      legendgroup: name,
    },
    { x: b.tick, y: b.mean, mode: 'lines', name, line: { color, width: 2 }, legendgroup: name },
  ];
}

const layout = (title: string, y: Record<string, unknown>): Record<string, unknown> => ({
  title: { text: title, font: { size: 14 } },
  margin: { l: 70, r: 10, t: 36, b: 50 },
  xaxis: { title: { text: 'tick' } },
  yaxis: y,
  legend: { orientation: 'h', y: -0.25 },
  height: 320,
});

function figures(summary: ExperimentSummary, smooth: boolean, unit: DistanceUnit, kind: 'weight' | 'bias') {
  const loss = bandOf(summary, 'trainLossMovingAverage', smooth);
  const acc = bandOf(summary, 'testAccuracy', smooth, 100);
  const tensors = POINT_TENSORS.filter((t) => t.endsWith(`.${kind}`));
  const lossFig: Figure = {
    data: loss ? bandTraces('train loss', loss, COLORS[0]) : [],
    layout: layout('Training loss', { title: { text: 'train loss (cross-entropy, nats)' }, rangemode: 'tozero' }),
  };
  const distFig: Figure = {
    data: tensors.flatMap((t, i) => {
      const b = bandOf(summary, `${unit}:${t}`, smooth);
      return b ? bandTraces(t, forLogAxis(b), COLORS[i]) : [];
    }),
    layout: layout('Distance to the destination, per layer', {
      ...LOG_AXIS,
      title: { text: unit === 'distToDest' ? '‖P − D‖ (parameter units)' : '½‖P − D‖² (parameter units²)' },
    }),
  };
  const low = acc ? Math.max(0, Math.floor(Math.min(...acc.lower) - 1)) : 0;
  const accFig: Figure = {
    data: acc ? bandTraces('test accuracy', acc, COLORS[2]) : [],
    layout: layout('Test accuracy', { title: { text: 'test accuracy (%)' }, range: [low, 100] }),
  };
  return { lossFig, distFig, accFig, points: loss?.tick.length ?? 0, accPoints: acc?.tick.length ?? 0 };
}

/** Figures 2/3: mean ± std over the complete pairs per tick, smoothed as the paper (moving average of 10). */
export function BandsView() {
  const summary = useExperiments((s) => s.summary);
  const analysing = useExperiments((s) => s.analysing);
  const [smooth, setSmooth] = useState(true);
  const [unit, setUnit] = useState<DistanceUnit>('distToDest');
  const [kind, setKind] = useState<'weight' | 'bias'>('weight');
  const f = useMemo(() => (summary ? figures(summary, smooth, unit, kind) : null), [summary, smooth, unit, kind]);
  const lossEl = usePlot(f?.lossFig ?? null);
  const distEl = usePlot(f?.distFig ?? null);
  const accEl = usePlot(f?.accFig ?? null);
  const pairs = summary?.meta.pairs.length ?? 0;
  return (
    <section className="exp-view" data-testid="exp-bands" data-pairs={pairs} data-points={f?.points ?? 0}>
      <h3>Figures 2/3: mean ± std over pairs {analysing && <span className="note">(updating…)</span>}</h3>
      <p className="note caption">
        What you see: for each tick, the mean over the {pairs} complete pair{pairs === 1 ? '' : 's'} (line) ± one
        standard deviation (band)
        {smooth ? ', each smoothed by a moving average over 10 recorded ticks as in the paper' : ''}.
      </p>
      <div className="row">
        <label>
          <input type="checkbox" checked={smooth} onChange={(e) => setSmooth(e.target.checked)} /> smooth (moving
          average of 10)
        </label>
        <label>
          distance
          <select value={unit} onChange={(e) => setUnit(e.target.value as DistanceUnit)}>
            <option value="distToDest">‖P − D‖ (L2 norm)</option>
            <option value="halfSqDistToDest">½‖P − D‖² (the reference's unit)</option>
          </select>
        </label>
        <label>
          tensors
          <select value={kind} onChange={(e) => setKind(e.target.value as 'weight' | 'bias')}>
            <option value="weight">weights</option>
            <option value="bias">biases</option>
          </select>
        </label>
      </div>
      {!summary && <p className="note">The bands appear when the first pair is complete.</p>}
      <div className="exp-plots three" hidden={!summary}>
        <div ref={lossEl} className="plot" data-testid="exp-plot-loss" />
        <div ref={distEl} className="plot" data-testid="exp-plot-distance" />
        <div ref={accEl} className="plot" data-testid="exp-plot-accuracy" data-points={f?.accPoints ?? 0} />
      </div>
    </section>
  );
}
