import { setThemeChoice, toggledChoice, useTheme } from './theme';

/** The light/dark switch; the choice is remembered (localStorage), else the system's preference rules. */
export function ThemeToggle() {
  const theme = useTheme();
  return (
    <button
      className="theme-toggle"
      data-testid="theme-toggle"
      aria-pressed={theme === 'dark'}
      title="Switch between the light and the dark theme (remembered in this browser)"
      onClick={() => setThemeChoice(toggledChoice(theme))}
    >
      <span aria-hidden="true">{theme === 'dark' ? '☾' : '☀'}</span> Dark theme
    </button>
  );
}
