import { useMemo } from 'react';
import type { DimensionalityFile } from '../../../worker/experimentResults';
import { useExperiments } from '../../experiments/experimentsStore';
import { rankRows, sci } from '../../experiments/views';
import { DimensionalityForm } from './DimensionalityForm';
import { COLORS, LOG_AXIS, usePlot, type Figure } from './usePlot';

function rankFigure(f: DimensionalityFile): Figure {
  return {
    data: Object.entries(f.tensors).map(([name, t], i) => ({
      x: f.thresholds,
      y: t.effectiveRanks,
      name,
      mode: 'lines',
      line: { shape: 'hv', color: COLORS[i % COLORS.length], width: 2 },
    })),
    layout: {
      title: { text: `Effective rank of the ${f.paths} displacements against threshold`, font: { size: 14 } },
      margin: { l: 60, r: 10, t: 36, b: 50 },
      xaxis: { ...LOG_AXIS, title: { text: 'threshold on the singular values (parameter units)' } },
      yaxis: { title: { text: 'effective rank (singular values above the threshold)' }, rangemode: 'tozero', dtick: 1 },
      legend: { orientation: 'h', y: -0.25 },
      height: 360,
    },
  };
}

function singularFigure(f: DimensionalityFile): Figure {
  return {
    data: Object.entries(f.tensors).map(([name, t], i) => ({
      x: t.singularValues.map((_, k) => k + 1),
      y: t.singularValues,
      name,
      mode: 'lines+markers',
      line: { color: COLORS[i % COLORS.length], width: 1 },
    })),
    layout: {
      title: { text: 'Singular values per tensor', font: { size: 14 } },
      margin: { l: 60, r: 10, t: 36, b: 50 },
      xaxis: { title: { text: 'index i (largest first)' }, dtick: 1 },
      yaxis: { ...LOG_AXIS, title: { text: 'singular value σᵢ (parameter units)' } },
      legend: { orientation: 'h', y: -0.25 },
      height: 360,
    },
  };
}

/** §5.3: singular values and effective ranks of K low-loss excursions from model A, and the rank table. */
export function DimensionalityView() {
  const hasExperiment = useExperiments((s) => s.current !== null);
  const file = useExperiments((s) => s.dim.file);
  const figs = useMemo(() => (file ? { rank: rankFigure(file), sv: singularFigure(file) } : null), [file]);
  const rankEl = usePlot(figs?.rank ?? null);
  const svEl = usePlot(figs?.sv ?? null);
  if (!hasExperiment) return null;
  const rows = file ? rankRows(file) : [];
  return (
    <section className="exp-view" data-testid="exp-dim">
      <h3>Dimensionality of the low-loss directions (§5.3)</h3>
      <p className="note caption">
        What you see: model A trained 10 more SGD rounds, then moved 0.001 toward each of K models and trained 10 rounds
        again; the K displacements (end − trained A) of each tensor, their singular values and how many exceed each
        threshold. The paper's claim: rank = min(K, d) for every tensor.
      </p>
      <DimensionalityForm />
      <div className="exp-plots two" hidden={!file}>
        <div ref={rankEl} className="plot" data-testid="exp-plot-rank" />
        <div ref={svEl} className="plot" data-testid="exp-plot-sv" />
      </div>
      {file && (
        <table className="exp-ranks" data-testid="exp-dim-table">
          <thead>
            <tr>
              <th>tensor</th>
              <th>d</th>
              <th>K</th>
              <th>rank (σ &gt; σ_max·max(K, d)·ε_float32)</th>
              <th>min(K, d)</th>
              <th>threshold</th>
              <th>σ_max</th>
              <th>σ_min</th>
              <th>rank = min(K, d)?</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.tensor} data-testid={`exp-rank-${r.tensor}`} className={r.claimHolds ? '' : 'miss'}>
                <td>{r.tensor}</td>
                <td>{r.dims.toLocaleString('en')}</td>
                <td>{r.paths}</td>
                <td>{r.rank}</td>
                <td>{r.fullRank}</td>
                <td>{sci(r.tolerance)}</td>
                <td>{sci(r.sigmaMax)}</td>
                <td>{sci(r.sigmaMin)}</td>
                <td>{r.claimHolds ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {file && (
        <p className="note">
          Model A: {file.start}. {file.note}. Mean mini-batch loss: start {sci(file.meanLoss[0])} nats, excursions{' '}
          {file.meanLoss.slice(1).map(sci).join(', ')} nats.
        </p>
      )}
    </section>
  );
}
