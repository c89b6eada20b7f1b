import { RUN_FIELDS, type RunConfig } from '../../core/config';
import { LENET5_GROUPS } from '../../core/model/spec';

const LABELS: Record<keyof RunConfig, string> = {
  mode: 'Mode',
  ticks: 'Ticks T',
  stepF: 'step_f',
  stepA: 'step_a',
  rule: 'Step rule',
  clamp: 'Clamp at destination',
  roundsMin: 'Min rounds',
  roundsMax: 'Max rounds',
  threshold: 'Loss threshold',
  lr: 'lr_base',
  batch: 'Batch size',
  seed: 'Seed',
  moveLayers: 'Layers that move',
  trainLayers: 'Layers that train',
  evalEvery: 'Evaluate every',
  evalSubset: 'Test subset',
  trainEvalSamples: 'Train-loss images',
  snapshotEvery: 'Snapshot every',
  augment: 'Augment',
  trainSubset: 'Training subset',
  batchMode: 'Batches',
  groupSteps: 'Group steps (ours)',
  adaptive: 'Adaptive step (ours)',
};

/** Every hyperparameter of the run, generated from the one config table, with its help as a tooltip. */
export function ConfigForm({
  config,
  onChange,
  disabled,
}: {
  config: RunConfig;
  onChange: (c: RunConfig) => void;
  disabled: boolean;
}) {
  const set = <K extends keyof RunConfig>(k: K, v: RunConfig[K]) => onChange({ ...config, [k]: v });
  return (
    <div className="config-form">
      {(Object.keys(RUN_FIELDS) as Array<keyof RunConfig>)
        .filter((k) => k !== 'mode')
        .map((key) => {
          const spec = RUN_FIELDS[key];
          const id = `cfg-${spec.flag}`;
          let input: React.ReactNode;
          switch (spec.kind) {
            case 'int':
            case 'number':
              input = (
                <input
                  id={id}
                  aria-describedby={`${id}-help`}
                  type="number"
                  step="any"
                  min={spec.min}
                  value={config[key] as number}
                  disabled={disabled}
                  onChange={(e) => set(key, (e.target.value === '' ? NaN : Number(e.target.value)) as never)}
                />
              );
              break;
            case 'bool':
              input = (
                <input
                  id={id}
                  aria-describedby={`${id}-help`}
                  type="checkbox"
                  checked={config[key] as boolean}
                  disabled={disabled}
                  onChange={(e) => set(key, e.target.checked as never)}
                />
              );
              break;
            case 'enum':
              input = (
                <select
                  id={id}
                  aria-describedby={`${id}-help`}
                  value={config[key] as string}
                  disabled={disabled}
                  onChange={(e) => set(key, e.target.value as never)}
                >
                  {spec.values.map((v) => (
                    <option key={v}>{v}</option>
                  ))}
                </select>
              );
              break;
            case 'layers':
              input = (
                <span
                  className="layers"
                  id={id}
                  role="group"
                  aria-labelledby={`${id}-label`}
                  aria-describedby={`${id}-help`}
                >
                  {LENET5_GROUPS.map((g) => {
                    const list = config[key] as string[];
                    return (
                      <label key={g}>
                        <input
                          type="checkbox"
                          checked={list.includes(g)}
                          disabled={disabled}
                          onChange={(e) =>
                            set(
                              key,
                              (e.target.checked ? [...list, g] : list.filter((x) => x !== g)).sort(
                                (a, b) => LENET5_GROUPS.indexOf(a as never) - LENET5_GROUPS.indexOf(b as never),
                              ) as never,
                            )
                          }
                        />
                        {g}
                      </label>
                    );
                  })}
                </span>
              );
              break;
          }
          return (
            <div className="field" key={key} title={spec.help}>
              {/* A layer list is a group of checkboxes, named by this text (aria-labelledby), not one input. */}
              <label htmlFor={spec.kind === 'layers' ? undefined : id} id={`${id}-label`}>
                {LABELS[key]}{' '}
                <span className="help" aria-hidden="true">
                  ?
                </span>
              </label>
              <span className="sr-only" id={`${id}-help`}>
                {spec.help}
              </span>
              {input}
            </div>
          );
        })}
    </div>
  );
}
