import { useEffect, useState } from 'react';
import { bridge } from '../bridge';
import { store, useUi } from '../state/store';
import { isActive } from '../state/uiState';
import { readUrl, writeUrl, type UrlSetup } from '../urlState';
import { LESSON_PARAM } from '../lesson/lessonState';
import { ThemeToggle } from '../themeToggle';
import { Endpoints } from './Endpoints';
import { Errors } from './Errors';
import { PathSetup } from './PathSetup';
import { RunControls } from './RunControls';
import { RunList } from './RunList';
import { StatusBar } from './StatusBar';
import { PathPanels } from './panels/PathPanels';
import { BarrierChart } from './panels/BarrierChart';
import { PlanePanel } from './panels/PlanePanel';
import { Scrubber } from './panels/Scrubber';
import { Demo } from './Demo';
import { LessonDock } from './LessonDock';
import { LessonIntro } from './LessonIntro';
import { Section, SectionNav } from './LessonSections';
import { loadMissingBundled } from '../demo';
import { ExperimentsSection } from './experiments/ExperimentsSection';
import { GeometrySection } from './geometry/GeometrySection';

const initialUrl = readUrl();
const initialParams = new URLSearchParams(location.search);
/**
 * A first visit (a bare link, or `?demo=1`) and a lesson link start with the bundled models loaded.
 */
const autoLoad = initialParams.get('demo') === '1' || initialParams.has(LESSON_PARAM) || !location.search;

/**
 * The page: a sticky top bar (sections, theme, status), then one section per job — the demo and
 * lesson, the path (setup, then its live panels), geometry, experiments — and the lesson's card.
 * One element per line: other panels are added here with one line each.
 */
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
  const training = useUi((s) => Object.values(s.training).some((t) => t && t.step < t.totalSteps));
  const running = useUi((s) => isActive(s.run?.state));
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the content
      </a>
      <header className="top">
        <h1>Low-Loss Explorer</h1>
        <SectionNav />
        <ThemeToggle />
        <StatusBar />
      </header>
      <main className="app" id="main">
        <Errors />
        <Section id="lesson" title="The phenomenon in one click">
          <LessonIntro />
          <Demo />
          <BarrierChart />
          <PlanePanel />
          <Scrubber />
        </Section>
        <Section id="path" title="Build a path">
          <div className="setup">
            <PathSetup setup={setup} onChange={setSetup} disabled={training || running} />
            <Endpoints
              seeds={{ A: setup.seedA, B: setup.seedB }}
              epochs={setup.epochs}
              testSamples={setup.endpointTestSamples}
              onSeeds={(s) => setSetup({ ...setup, seedA: s.A, seedB: s.B })}
              onEpochs={(epochs) => setSetup({ ...setup, epochs })}
              busy={training || running}
            />
            <RunControls config={setup.config} busy={training} />
          </div>
          <PathPanels />
          <RunList busy={training || running} />
        </Section>
        <Section id="geometry" title="Geometry: symmetries and flatness">
          {/* The geometry panels go here, one per line. */}
          <GeometrySection />
        </Section>
        <Section id="experiments" title="Experiments">
          {/* The experiment panels go here, one per line. */}
          <ExperimentsSection />
        </Section>
      </main>
      <LessonDock />
    </>
  );
}
