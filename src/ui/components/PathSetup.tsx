import { presetFor } from '../../core/config';
import type { UrlSetup } from '../urlState';
import { ConfigForm } from './ConfigForm';

const PRESETS: Array<{ id: 'quick' | 'paper'; label: string; help: string }> = [
  { id: 'quick', label: 'quick', help: 'Ours: bigger steps, the same kind of path in under a minute on a CPU' },
  {
    id: 'paper',
    label: 'paper',
    help: "The paper's LeNet5 settings (M2M: 30,000 ticks, step_f 1e-3; M2O: 1,400 ticks, step_a 1e-3)",
  },
];

/** Step 1: preset and mode first, every hyperparameter one click away (the setup lives in the URL). */
export function PathSetup({
  setup,
  onChange,
  disabled,
}: {
  setup: UrlSetup;
  onChange: (s: UrlSetup) => void;
  disabled: boolean;
}) {
  const choose = (preset: 'paper' | 'quick', mode = setup.config.mode) =>
    onChange({ ...setup, preset, config: presetFor(preset, mode) });
  return (
    <section className="step path-setup" data-testid="path-setup" aria-labelledby="path-setup-title">
      <h3 id="path-setup-title">1 · Preset and path</h3>
      <fieldset className="row">
        <legend>Preset</legend>
        {PRESETS.map((p) => (
          <label key={p.id} title={p.help}>
            <input
              type="radio"
              name="preset"
              checked={setup.preset === p.id}
              disabled={disabled}
              onChange={() => choose(p.id)}
            />{' '}
            {p.label}
          </label>
        ))}
      </fieldset>
      <fieldset className="row">
        <legend>Path</legend>
        <label>
          <input
            type="radio"
            name="mode"
            checked={setup.config.mode === 'm2m'}
            disabled={disabled}
            onChange={() => choose(setup.preset, 'm2m')}
          />{' '}
          Model to model (A → B, Algorithm 1)
        </label>
        <label>
          <input
            type="radio"
            name="mode"
            checked={setup.config.mode === 'm2o'}
            disabled={disabled}
            onChange={() => choose(setup.preset, 'm2o')}
          />{' '}
          Model to origin (A → 0, Algorithm 2)
        </label>
      </fieldset>
      <details className="all-hyperparameters" data-testid="all-hyperparameters">
        <summary>All hyperparameters</summary>
        <ConfigForm config={setup.config} disabled={disabled} onChange={(config) => onChange({ ...setup, config })} />
      </details>
      <button
        className="small"
        onClick={() => void navigator.clipboard?.writeText(location.href)}
        title="The URL holds the whole setup"
      >
        Copy share link
      </button>
    </section>
  );
}
