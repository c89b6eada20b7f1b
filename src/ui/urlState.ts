import { applyOverrides, presetFor, toSearchParams, type Mode, type RunConfig } from '../core/config';
import { LESSON_PARAM } from './lesson/lessonState';

/** The whole setup lives in the URL (TensorFlow Playground style): a link reproduces it. */
export interface UrlSetup {
  preset: 'paper' | 'quick';
  config: RunConfig;
  backend: string | null;
  seedA: number;
  seedB: number;
  epochs: number;
  /** Test images evaluated after each endpoint epoch (all 10,000 unless the link says otherwise). */
  endpointTestSamples: number;
}

export function readUrl(search = location.search): { setup: UrlSetup; error: string | null } {
  const p = new URLSearchParams(search);
  const preset = p.get('preset') === 'paper' ? 'paper' : 'quick';
  const mode: Mode = p.get('mode') === 'm2o' ? 'm2o' : 'm2m';
  const base = presetFor(preset, mode);
  const int = (k: string, d: number) =>
    Number.isInteger(Number(p.get(k))) && p.get(k) !== null ? Number(p.get(k)) : d;
  const rest = {
    backend: p.get('backend'),
    seedA: int('seedA', 1),
    seedB: int('seedB', 2),
    epochs: Number(p.get('epochs')) > 0 ? Number(p.get('epochs')) : 1,
    endpointTestSamples: Math.min(10000, Math.max(1, int('endpoint-test', 10000))),
  };
  try {
    const config = applyOverrides(base, Object.fromEntries(p.entries()));
    return { setup: { preset, config, ...rest }, error: null };
  } catch (e) {
    return {
      setup: { preset, config: base, ...rest },
      error: `the link's settings were not used: ${(e as Error).message}`,
    };
  }
}

export function writeUrl(s: UrlSetup): void {
  const p = toSearchParams(s.config, presetFor(s.preset, s.config.mode));
  p.set('preset', s.preset);
  p.set('mode', s.config.mode);
  if (s.backend) p.set('backend', s.backend);
  if (s.seedA !== 1) p.set('seedA', String(s.seedA));
  if (s.seedB !== 2) p.set('seedB', String(s.seedB));
  if (s.epochs !== 1) p.set('epochs', String(s.epochs));
  if (s.endpointTestSamples !== 10000) p.set('endpoint-test', String(s.endpointTestSamples));
  // The lesson's step is not part of the setup but belongs to the link (lesson/lessonStore.ts writes it).
  const lesson = new URLSearchParams(location.search).get(LESSON_PARAM);
  if (lesson !== null) p.set(LESSON_PARAM, lesson);
  history.replaceState(null, '', `${location.pathname}?${p.toString()}`);
}
