import { useState } from 'react';
import { REFERENCE_DIMENSIONALITY } from '../../../core/experiments/dimensionality';
import { experimentController } from '../../experiments/experimentController';
import { useExperiments } from '../../experiments/experimentsStore';
import type { DimensionalityStart } from '../../experiments/analysisClient';
import { store, useUi } from '../../state/store';

/** The §5.3 form: K, model A (endpoint A or pair 1's), the destinations, the training rounds. */
export function DimensionalityForm() {
  const record = useExperiments((s) => s.current);
  const dim = useExperiments((s) => s.dim);
  const endpointA = useUi((s) => s.models.A?.name ?? null);
  const [K, setK] = useState(8);
  const [startKind, setStartKind] = useState<'endpointA' | 'pair1'>('endpointA');
  const [destKind, setDestKind] = useState<'pairs' | 'seeds'>('pairs');
  const [seedBase, setSeedBase] = useState(1000);
  const [rounds, setRounds] = useState(REFERENCE_DIMENSIONALITY.rounds);
  const useA = startKind === 'endpointA' && endpointA !== null;
  const running = dim.status === 'running';
  if (!record) return null;
  const run = () => {
    const bytes = store.modelBytes.get('A'); // read-only: copied before it is sent
    const start: DimensionalityStart =
      useA && bytes ? { kind: 'endpointA', name: bytes.name, bytes: bytes.bytes } : { kind: 'pair1' };
    const epochs = record.plan.epochs;
    const destinations =
      destKind === 'pairs' ? { kind: 'pairs' as const, epochs } : { kind: 'seeds' as const, seedBase, epochs };
    void experimentController.analysis.dimensionality(record.id, {
      paths: K,
      start,
      destinations,
      config: { ...REFERENCE_DIMENSIONALITY, rounds },
    });
  };
  return (
    <div className="row exp-dim-form" data-testid="exp-dim-form">
      <label title="K: low-loss excursions from model A (paper §5.3).">
        K
        <input
          type="number"
          min={1}
          max={64}
          value={K}
          data-testid="exp-dim-k"
          onChange={(e) => setK(Math.min(64, Math.max(1, Math.round(Number(e.target.value) || 1))))}
        />
      </label>
      <label title="Model A: endpoint A of the Endpoints panel, or model A of this experiment's pair 1.">
        model A
        <select
          value={useA ? 'endpointA' : 'pair1'}
          data-testid="exp-dim-start"
          onChange={(e) => setStartKind(e.target.value as 'endpointA' | 'pair1')}
        >
          <option value="endpointA" disabled={endpointA === null}>
            endpoint A{endpointA ? ` (${endpointA})` : ' (none loaded)'}
          </option>
          <option value="pair1">pair 1's model A</option>
        </select>
      </label>
      <label title="Destinations: this experiment's endpoint models (topped up from seeds 1001… when fewer than K), or K new models trained from seeds.">
        destinations
        <select
          value={destKind}
          data-testid="exp-dim-dest"
          onChange={(e) => setDestKind(e.target.value as 'pairs' | 'seeds')}
        >
          <option value="pairs">the pairs' models</option>
          <option value="seeds">new models from seeds</option>
        </select>
      </label>
      {destKind === 'seeds' && (
        <label title="Destinations are trained from seeds base + 1 … base + K, for the experiment's endpoint epochs.">
          seeds after
          <input
            type="number"
            min={0}
            value={seedBase}
            onChange={(e) => setSeedBase(Math.max(0, Math.round(Number(e.target.value) || 0)))}
          />
        </label>
      )}
      <label title="SGD steps (batch 1000, lr 0.01, momentum 0.9) for the start and for each excursion (reference: 10).">
        rounds
        <input
          type="number"
          min={1}
          max={1000}
          value={rounds}
          onChange={(e) => setRounds(Math.max(1, Math.round(Number(e.target.value) || 1)))}
        />
      </label>
      <button onClick={run} disabled={running} data-testid="exp-dim-run">
        Measure dimensionality
      </button>
      {running && (
        <button onClick={() => experimentController.analysis.cancelDimensionality()} data-testid="exp-dim-cancel">
          Cancel
        </button>
      )}
      <span className="note" data-testid="exp-dim-status">
        {dim.status === 'running'
          ? `${dim.k}/${dim.total} excursions · ${dim.message}`
          : dim.status === 'failed'
            ? `failed: ${dim.error}`
            : dim.status === 'done'
              ? `done: ${dim.file?.note ?? ''} (${dim.file?.seconds.toFixed(1)} s)`
              : ''}
      </span>
    </div>
  );
}
