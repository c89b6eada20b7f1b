import { presetFor } from '../../core/config';
import type { UrlSetup } from '../urlState';
import { ConfigForm } from './ConfigForm';

/** Step 2: mode, preset and every hyperparameter (the setup lives in the URL). */
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
  const presetRadio = (preset: 'paper' | 'quick') => (
    <input type="radio" checked={setup.preset === preset} disabled={disabled} onChange={() => choose(preset)} />
  );
  return (
    <section className="step">
      <h2>2 · Choose the path</h2>
      <div className="row">
        <label>
          <input
            type="radio"
            checked={setup.config.mode === 'm2m'}
            disabled={disabled}
            onChange={() => choose(setup.preset, 'm2m')}
          />{' '}
          Model to model (A → B, Algorithm 1)
        </label>
        <label>
          <input
            type="radio"
            checked={setup.config.mode === 'm2o'}
            disabled={disabled}
            onChange={() => choose(setup.preset, 'm2o')}
          />{' '}
          Model to origin (A → 0, Algorithm 2)
        </label>
      </div>
      <div className="row">
        Preset:
        <label title="The paper's LeNet5 settings (M2M: 30,000 ticks, step_f 1e-3; M2O: 1,400 ticks, step_a 1e-3)">
          {presetRadio('paper')} paper
        </label>
        <label title="Bigger steps: the same kind of path in a few minutes on a CPU">
          {presetRadio('quick')} quick
        </label>
        <button
          onClick={() => void navigator.clipboard?.writeText(location.href)}
          title="The URL holds the whole setup"
        >
          Copy share link
        </button>
      </div>
      <details open>
        <summary>All hyperparameters</summary>
        <ConfigForm config={setup.config} disabled={disabled} onChange={(config) => onChange({ ...setup, config })} />
      </details>
    </section>
  );
}
