import { useSyncExternalStore } from 'react';

/** The two looks of the app (issue #16): light for a lit room, dark for a projector in a dim one. */
export type Theme = 'light' | 'dark';
/** What the user chose: a theme, or "follow the system" (prefers-color-scheme). */
export type ThemeChoice = Theme | 'system';

/** localStorage key of the user's choice. */
export const THEME_KEY = 'lowloss-theme';

/** The stored choice, read defensively (anything unknown is "system"). */
export function parseThemeChoice(stored: string | null | undefined): ThemeChoice {
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

/** The theme shown: the user's choice, else the system's preference. */
export function resolveTheme(choice: ThemeChoice, prefersDark: boolean): Theme {
  return choice === 'system' ? (prefersDark ? 'dark' : 'light') : choice;
}

/** The choice a toggle makes from the theme now shown: the other one, remembered. */
export function toggledChoice(shown: Theme): ThemeChoice {
  return shown === 'dark' ? 'light' : 'dark';
}

const hasDom = typeof window !== 'undefined' && typeof document !== 'undefined';

function readStored(): ThemeChoice {
  try {
    return parseThemeChoice(hasDom ? localStorage.getItem(THEME_KEY) : null);
  } catch {
    return 'system'; // storage blocked (privacy settings): follow the system
  }
}

const media = hasDom && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
let choice: ThemeChoice = readStored();
let shown: Theme = resolveTheme(choice, media?.matches ?? false);
const listeners = new Set<() => void>();

function apply(): void {
  const next = resolveTheme(choice, media?.matches ?? false);
  if (hasDom) {
    document.documentElement.dataset.theme = next;
    document.documentElement.style.colorScheme = next;
  }
  if (next === shown) return;
  shown = next;
  listeners.forEach((l) => l());
}

media?.addEventListener('change', apply);
apply();

/** The theme now shown. */
export const currentTheme = (): Theme => shown;

/** Calls `l` whenever the shown theme changes; returns the unsubscribe function. */
export function onThemeChange(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Sets and remembers the user's choice. */
export function setThemeChoice(next: ThemeChoice): void {
  choice = next;
  try {
    if (next === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, next);
  } catch {
    /* storage blocked: the choice lasts for this page only */
  }
  apply();
}

/** The shown theme, for React components. */
export function useTheme(): Theme {
  return useSyncExternalStore(onThemeChange, currentTheme);
}
