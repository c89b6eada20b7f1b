import { useState } from 'react';
import { presetFor, type Mode } from '../../../core/config';
import { experimentController } from '../../experiments/experimentController';
import { coreCount, type ExperimentForm as Form } from '../../experiments/plan';
import { useExperiments } from '../../experiments/experimentsStore';

/** SGD steps per epoch of endpoint training: 60,000 images in batches of 64 (paper Table 3). */
const STEPS_PER_EPOCH = Math.floor(60000 / 64);

const numberField = (v: string, fallback: number) =>
  v.trim() === '' || !Number.isFinite(Number(v)) ? fallback : Number(v);

/** The experiment form: mode, pairs N, endpoint epochs E, preset, base seed, ticks and workers (SPEC §10). */
export function ExperimentForm() {
  const busy = useExperiments((s) => s.runId !== null);
  const [form, setForm] = useState<Form>({
    mode: 'm2m',
    pairs: 4,
    epochs: 1,
    preset: 'quick',
    seedBase: 0,
    ticks: null,
    workers: Math.min(coreCount(), 4),
  });
  const [workersSet, setWorkersSet] = useState(false);
  const presetTicks = presetFor(form.preset, form.mode).ticks;
  const set = (patch: Partial<Form>) => {
    const next = { ...form, ...patch };
    if (!workersSet) next.workers = Math.min(coreCount(), next.pairs);
    setForm(next);
  };
  const steps = Math.round(form.epochs * STEPS_PER_EPOCH);
  const models = form.mode === 'm2m' ? 2 * form.pairs : form.pairs;
  const valid = form.pairs >= 1 && form.epochs > 0 && form.workers >= 1 && (form.ticks === null || form.ticks >= 1);
  return (
    <form
      className="exp-form"
      data-testid="exp-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) void experimentController.start(form);
      }}
    >
      <h3>New experiment</h3>
      <div className="exp-fields">
        <label title="M2M: each pair's path from model A to model B (Algorithm 1). M2O: from A toward the origin (Algorithm 2).">
          mode
          <select value={form.mode} onChange={(e) => set({ mode: e.target.value as Mode })} data-testid="exp-mode">
            <option value="m2m">M2M (A → B)</option>
            <option value="m2o">M2O (A → origin)</option>
          </select>
        </label>
        <label title="N: paths to run (the paper averages 200 LeNet5 paths).">
          pairs N
          <input
            type="number"
            min={1}
            max={500}
            value={form.pairs}
            data-testid="exp-pairs"
            onChange={(e) => set({ pairs: Math.max(1, Math.round(numberField(e.target.value, 1))) })}
          />
        </label>
        <label title="Epochs E of endpoint training per model (paper Table 3: 20). Fractions train fewer steps than an epoch.">
          endpoint epochs E
          <input
            type="number"
            min={0.001}
            step="any"
            value={form.epochs}
            data-testid="exp-epochs"
            onChange={(e) => set({ epochs: Math.max(0.001, numberField(e.target.value, 1)) })}
          />
        </label>
        <label title="quick: ours, chosen by measurement; paper: the paper's LeNet5 settings (30,000 ticks for M2M).">
          preset
          <select
            value={form.preset}
            data-testid="exp-preset"
            onChange={(e) => set({ preset: e.target.value as Form['preset'] })}
          >
            <option value="quick">quick</option>
            <option value="paper">paper</option>
          </select>
        </label>
        <label title="Endpoint seeds start after this: M2M pair k trains seeds base + 2k − 1 and base + 2k.">
          base seed
          <input
            type="number"
            min={0}
            value={form.seedBase}
            data-testid="exp-seed"
            onChange={(e) => set({ seedBase: Math.max(0, Math.round(numberField(e.target.value, 0))) })}
          />
        </label>
        <label title="T: ticks of every path (empty: the preset's).">
          ticks T
          <input
            type="number"
            min={1}
            placeholder={String(presetTicks)}
            value={form.ticks ?? ''}
            data-testid="exp-ticks"
            onChange={(e) =>
              set({ ticks: e.target.value === '' ? null : Math.max(1, Math.round(Number(e.target.value))) })
            }
          />
        </label>
        <label title={`Workers, one pair at a time each (this browser reports ${coreCount()} cores).`}>
          workers
          <input
            type="number"
            min={1}
            max={32}
            value={form.workers}
            data-testid="exp-workers"
            onChange={(e) => {
              setWorkersSet(true);
              setForm({ ...form, workers: Math.max(1, Math.round(numberField(e.target.value, 1))) });
            }}
          />
        </label>
      </div>
      <p className="note">
        Trains {models} endpoint model{models > 1 ? 's' : ''} ({steps.toLocaleString('en')} SGD steps each, batch 64),
        then runs {form.pairs} path{form.pairs > 1 ? 's' : ''} of {form.ticks ?? presetTicks} ticks on {form.workers}{' '}
        worker
        {form.workers > 1 ? 's' : ''}.
      </p>
      <button type="submit" disabled={busy || !valid} data-testid="exp-start">
        Start experiment
      </button>
    </form>
  );
}
