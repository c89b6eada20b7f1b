import { useEffect } from 'react';
import { experimentController } from '../../experiments/experimentController';
import { experiments, useExperiments } from '../../experiments/experimentsStore';
import { BandsView } from './BandsView';
import { DimensionalityView } from './DimensionalityView';
import { ExperimentForm } from './ExperimentForm';
import { ExperimentProgress } from './ExperimentProgress';
import { JointPcaView } from './JointPcaView';
import { SavedExperiments } from './SavedExperiments';
import './experiments.css';

function ExperimentErrors() {
  const errors = useExperiments((s) => s.errors);
  if (!errors.length) return null;
  return (
    <ul className="exp-errors" data-testid="exp-errors" role="alert">
      {errors.map((e, i) => (
        <li key={i}>
          {e}{' '}
          <button type="button" onClick={() => experiments.dispatch({ type: 'dismissError', index: i })}>
            Dismiss
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * The paper's experiments, live (issue #15, SPEC §10): many paths at once on one worker per core,
 * Figures 2/3 (mean ± std over pairs), Figure 4 (joint per-layer PCA) and §5.3 (dimensionality),
 * all saved in this browser and reopened from the list.
 */
export function ExperimentsSection() {
  useEffect(() => {
    void experimentController.init();
  }, []);
  return (
    <div className="step experiments" data-testid="experiments">
      <h3 className="exp-title">Many paths at once: the paper’s Figures 2–4 and §5.3</h3>
      <p className="lead">
        The paper's evidence is statistical: the same path between many pairs of models trained from different seeds,
        averaged per tick (Figures 2 and 3), all paths in one PCA (Figure 4), and the rank of many low-loss directions
        (§5.3). Here each pair runs in its own worker, one per core.
      </p>
      <ExperimentErrors />
      <div className="exp-top">
        <ExperimentForm />
        <SavedExperiments />
      </div>
      <ExperimentProgress />
      <BandsView />
      <JointPcaView />
      <DimensionalityView />
    </div>
  );
}
