import { useEffect, useState } from 'react';
import { bridge } from '../bridge';
import { store, useUi } from '../state/store';
import { isActive } from '../state/uiState';
import { readUrl, writeUrl, type UrlSetup } from '../urlState';
import { warmUpPlotly } from '../plots/warmUp';
import { Endpoints } from './Endpoints';
import { Errors } from './Errors';
import { PathSetup } from './PathSetup';
import { RunControls } from './RunControls';
import { RunList } from './RunList';
import { StatusBar } from './StatusBar';
import { PathPanels } from './panels/PathPanels';
import { BarrierChart } from './panels/BarrierChart';
import { Demo } from './Demo';
import { loadMissingBundled } from '../demo';

const initialUrl = readUrl();
/**
 * A first visit (a bare link, or `?demo=1`) starts with the bundled models loaded.
 */
const autoLoad = new URLSearchParams(location.search).get('demo') === '1' || !location.search;

export function App() {
  const [setup, setSetup] = useState<UrlSetup>(initialUrl.setup);
  useEffect(() => {
    bridge.start(setup.backend);
    if (initialUrl.error) {
      store.dispatch({ type: 'error', error: { scope: 'link', message: initialUrl.error, recoverable: true } });
    }
    if (autoLoad) void loadMissingBundled().catch(() => undefined);
    return () => bridge.stop();
    // The worker is created once per page (squoosh's bridge pattern).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => writeUrl(setup), [setup]);
  useEffect(warmUpPlotly, []);
  const training = useUi((s) => Object.values(s.training).some((t) => t && t.step < t.totalSteps));
  const running = useUi((s) => isActive(s.run?.state));
  return (
    <div className="app">
      <header className="top">
        <h1>Low-Loss Explorer</h1>
        <p className="lead">
          Two networks trained from different seeds land in different minima, yet a path of models with low training
          loss joins them. Here you build such paths live with the LLPF algorithms of Tian et al. (2025): step toward
          the destination, project back onto the variance sphere, retrain briefly, repeat.
        </p>
        <StatusBar />
      </header>
      <Errors />
      <Demo />
      <BarrierChart />
      <Endpoints
        seeds={{ A: setup.seedA, B: setup.seedB }}
        epochs={setup.epochs}
        testSamples={setup.endpointTestSamples}
        onSeeds={(s) => setSetup({ ...setup, seedA: s.A, seedB: s.B })}
        onEpochs={(epochs) => setSetup({ ...setup, epochs })}
        busy={training || running}
      />
      <PathSetup setup={setup} onChange={setSetup} disabled={training || running} />
      <RunControls config={setup.config} busy={training} />
      <RunList busy={training || running} />
      <PathPanels />
    </div>
  );
}
