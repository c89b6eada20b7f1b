import { useMemo } from 'react';
import type { MemberRow, PairRow } from '../../../worker/geometryProtocol';
import { energyAt, pearson } from '../../geometry/stats';
import { Plot } from './Plot';
import { asPct, fixed } from './format';

const RECIPE_COLORS: Record<string, string> = { 'sgd-b64': '#1f77b4', 'sgd-b1000': '#ff7f0e', 'adam-b64': '#2ca02c' };

const flatAxis = (what: string, sigma: number) => ({
  title: { text: `${what} δE(σ = ${sigma}) (% train error added)` },
  rangemode: 'tozero',
});

/** Scatter plots: test error against flatness per model; distances and barriers against a pair's mean flatness. */
export function PopulationPlots({ members, pairs, sigma }: { members: MemberRow[]; pairs: PairRow[]; sigma: number }) {
  const flat = useMemo(() => new Map(members.map((m) => [m.name, energyAt(m.flatness, sigma)])), [members, sigma]);
  const pairFlat = useMemo(
    () => pairs.map((p) => ((flat.get(p.a) ?? NaN) + (flat.get(p.b) ?? NaN)) / 2),
    [pairs, flat],
  );
  const memberTraces = useMemo(
    () =>
      Object.keys(RECIPE_COLORS).map((recipe) => {
        const ms = members.filter((m) => m.recipe === recipe);
        return {
          type: 'scatter',
          mode: 'markers',
          name: recipe,
          x: asPct(ms.map((m) => flat.get(m.name)!)),
          y: asPct(ms.map((m) => m.testError)),
          text: ms.map((m) => m.name),
          marker: { color: RECIPE_COLORS[recipe], size: 10 },
        };
      }),
    [members, flat],
  );
  const pairTraces = useMemo(
    () =>
      [
        { name: 'function distance', y: pairs.map((p) => p.functionDistance), symbol: 'circle' },
        { name: 'barrier along the geodesic (train)', y: pairs.map((p) => p.barrier), symbol: 'diamond' },
      ].map((s) => ({
        type: 'scatter',
        mode: 'markers',
        name: s.name,
        x: asPct(pairFlat),
        y: asPct(s.y),
        text: pairs.map((p) => `${p.a} ↔ ${p.b}`),
        marker: { size: 9, symbol: s.symbol },
      })),
    [pairs, pairFlat],
  );
  const memberLayout = useMemo(
    () => ({ xaxis: flatAxis('flatness', sigma), yaxis: { title: { text: 'test error (%)' }, rangemode: 'tozero' } }),
    [sigma],
  );
  const pairLayout = useMemo(
    () => ({
      xaxis: flatAxis('mean flatness of the pair,', sigma),
      yaxis: { title: { text: '% of images' }, rangemode: 'tozero' },
    }),
    [sigma],
  );
  const r = {
    testError: pearson(
      [...flat.values()],
      members.map((m) => m.testError),
    ),
    functionDistance: pearson(
      pairFlat,
      pairs.map((p) => p.functionDistance),
    ),
    barrier: pearson(
      pairFlat,
      pairs.map((p) => p.barrier),
    ),
    geodesic: pearson(
      pairFlat,
      pairs.map((p) => p.geodesic),
    ),
  };
  return (
    <>
      <div className="geo-plots">
        <Plot traces={memberTraces} layout={memberLayout} testId="geo-pop-members-plot" height={300} />
        <Plot traces={pairTraces} layout={pairLayout} testId="geo-pop-pairs-plot" height={300} />
      </div>
      <p className="hint" data-testid="geo-pop-correlations">
        Pearson r with flatness (positive: flatter goes with lower): test error {fixed(r.testError, 2)}; function
        distance {fixed(r.functionDistance, 2)}; geodesic barrier {fixed(r.barrier, 2)}; geodesic distance{' '}
        {fixed(r.geodesic, 2)}.
      </p>
    </>
  );
}
