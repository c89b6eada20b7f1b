import { useEffect, useState } from 'react';
import { pointAt, snapshotTicks } from '../../barrier';
import { bridge } from '../../bridge';
import { store, useUi } from '../../state/store';
import { useSeriesView } from '../../state/useSeriesView';
import type { PredictResult, PredictTarget } from '../../../worker/protocol';
import { DigitCanvas } from './DigitCanvas';
import './PlanePanel.css';

/** Re-reads the path's snapshot ticks at most this often while it streams (ms). */
const REFRESH_MS = 300;

/** The shown run's snapshot ticks. */
const readSnapshotTicks = (): number[] => {
  const run = store.get().run;
  return run ? snapshotTicks(store.series, run.config.snapshotEvery, run.totalTicks) : [];
};
const sameTicks = (prev: number[], next: number[]) => next.length === prev.length && next.at(-1) === prev.at(-1);

/** The shown run's snapshot ticks, refreshed while its points stream in. */
const useSnapshotTicks = (): number[] => useSeriesView(readSnapshotTicks, REFRESH_MS, sameTicks);

const label = (t: PredictTarget) => (t === 'A' ? 'model A' : t === 'B' ? 'model B' : `path at tick ${t}`);

/** One model's answer: its top class, and every class's probability as a bar. */
function Prediction({ result }: { result: PredictResult }) {
  const p = result.probabilities;
  const best = p ? p.indexOf(Math.max(...p)) : -1;
  const name =
    typeof result.target === 'number' && result.tick !== null ? `path at tick ${result.tick}` : label(result.target);
  return (
    <div
      className="prediction"
      data-testid={`prediction-${typeof result.target === 'number' ? 'path' : result.target}`}
    >
      <h4>{name}</h4>
      {p ? (
        <>
          <div className="top" data-testid="prediction-top">
            {best} <small>({(p[best] * 100).toFixed(1)} %)</small>
          </div>
          <div className="bars">
            {p.map((v, digit) => (
              <div key={digit} style={{ display: 'contents' }}>
                <span>{digit}</span>
                <div className={`bar${digit === best ? ' best' : ''}`} style={{ width: `${Math.max(1, v * 90)}px` }} />
                <span>{(v * 100).toFixed(1)}</span>
              </div>
            ))}
          </div>
        </>
      ) : (
        <p className="note">{'missing' in result ? result.missing : ''}</p>
      )}
    </div>
  );
}

/**
 * The path scrubber (issue #13): a slider over the shown path's snapshot ticks with that point's
 * metrics, its marker on the barrier chart and the plane, and a canvas where a drawn digit is
 * classified by the model at that point and by A and B (in the engine worker).
 */
export function Scrubber() {
  const run = useUi((s) => s.run);
  const scrubTick = useUi((s) => s.scrubTick);
  const prediction = useUi((s) => s.prediction);
  const ticks = useSnapshotTicks();
  const [image, setImage] = useState<Float32Array | null>(null);
  const runId = run?.runId ?? null;
  useEffect(() => {
    if (!image) return;
    const targets: PredictTarget[] = scrubTick === null ? ['A', 'B'] : ['A', scrubTick, 'B'];
    try {
      bridge.predict(image, targets, runId);
    } catch (e) {
      store.dispatch({ type: 'error', error: { scope: 'predict', message: (e as Error).message, recoverable: true } });
    }
  }, [image, scrubTick, runId]);
  const index = scrubTick === null ? -1 : ticks.indexOf(scrubTick);
  const point = scrubTick === null || !run ? null : pointAt(store.series, scrubTick, run.totalTicks);
  const dest = run?.config.mode === 'm2o' ? 'the origin' : 'B';
  return (
    <section className="panel scrubber" data-testid="scrubber">
      <header>
        <h3>Path scrubber: one point of the path, and what it predicts</h3>
      </header>
      <div className="scrubber-body">
        <div>
          <label className="note" htmlFor="scrub-range">
            {ticks.length
              ? `snapshot ${index + 1} of ${ticks.length} (every ${run?.config.snapshotEvery} ticks)`
              : 'Build a path with snapshots (snapshot every > 0) to scrub along it.'}
          </label>
          <input
            id="scrub-range"
            type="range"
            data-testid="scrub-slider"
            min={0}
            max={Math.max(0, ticks.length - 1)}
            step={1}
            value={Math.max(0, index)}
            disabled={!ticks.length}
            onChange={(e) => store.dispatch({ type: 'scrubTo', tick: ticks[Number(e.target.value)] ?? null })}
          />
          <dl className="scrub-metrics" data-testid="scrub-metrics">
            <dt>tick</dt>
            <dd>{point ? `${point.tick} of ${run?.totalTicks}` : '—'}</dd>
            <dt>position t</dt>
            <dd>{point ? point.t.toFixed(3) : '—'}</dd>
            <dt>train loss (moving average)</dt>
            <dd>{point && Number.isFinite(point.trainLoss) ? `${point.trainLoss.toFixed(4)} nats` : '—'}</dd>
            <dt>test accuracy</dt>
            <dd>
              {point?.testAccuracy != null
                ? `${(point.testAccuracy * 100).toFixed(2)} % (${point.testSamples.toLocaleString('en')} images)`
                : point
                  ? 'not evaluated at this tick'
                  : '—'}
            </dd>
            <dt>distance to {dest}</dt>
            <dd>{point ? `${point.distance.toFixed(3)} (‖P − ${dest === 'B' ? 'B' : '0'}‖, parameter space)` : '—'}</dd>
          </dl>
          <p className="note">
            Draw a digit: the model at this point of the path, A and B classify it (MNIST’s preprocessing: the drawing
            is fitted into 20×20 and centred by its centre of mass). Models on a low-loss path agree on most digits.
          </p>
        </div>
        <DigitCanvas onDigit={setImage} />
      </div>
      <div className="predictions" data-testid="predictions" aria-live="polite">
        {image && prediction?.results.map((r) => <Prediction key={String(r.target)} result={r} />)}
      </div>
    </section>
  );
}
