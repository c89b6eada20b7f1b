import { currentTheme, onThemeChange, useTheme, type Theme } from '../theme';
import { NO_OVERFLOW_CHECK } from './fastAxes';

export { currentTheme, onThemeChange, useTheme, type Theme };

/** Colours a plot takes from the app's theme (they match styles.css' --panel, --fg, --muted, --grid). */
export interface PlotColors {
  /** Background around and under the plot area (the panel's own colour). */
  paper: string;
  /** Text: titles, tick labels, legend. */
  text: string;
  /** Secondary lines (the PCA path line, reference lines). */
  muted: string;
  /** Grid lines. */
  grid: string;
  /** Axis lines and zero lines. */
  line: string;
}

export const PLOT_COLORS: Readonly<Record<Theme, PlotColors>> = {
  light: { paper: '#ffffff', text: '#1d2330', muted: '#9aa3b2', grid: '#e6e9ef', line: '#b8c0cc' },
  dark: { paper: '#1b2029', text: '#e4e8ef', muted: '#6c7687', grid: '#2e3542', line: '#4a5468' },
};

/** Base font of every plot (px): large enough to read from the back of a room. */
export const PLOT_FONT_SIZE = 13;

const AXES = /^[xy]axis\d*$/;

/**
 * A layout in the theme: paper and plot colours, text, grid and axis colours, and
 * `automargin` on every axis so tick labels and titles never overlap (issue #16). Keys of `layout`
 * win, axis by axis; nothing of `layout` is mutated.
 */
export function themedLayout(layout: Record<string, unknown>, theme: Theme = currentTheme()): Record<string, unknown> {
  const c = PLOT_COLORS[theme];
  const out: Record<string, unknown> = {
    paper_bgcolor: c.paper,
    plot_bgcolor: c.paper,
    font: { family: 'system-ui, sans-serif', size: PLOT_FONT_SIZE, color: c.text },
    hoverlabel: { font: { size: PLOT_FONT_SIZE } },
    ...layout,
  };
  const legend = layout.legend as Record<string, unknown> | undefined;
  out.legend = { bgcolor: 'rgba(0,0,0,0)', font: { color: c.text }, ...legend };
  for (const key of new Set(['xaxis', 'yaxis', ...Object.keys(layout).filter((k) => AXES.test(k))])) {
    out[key] = axisInTheme(layout[key] as Record<string, unknown> | undefined, c);
  }
  return out;
}

function axisInTheme(axis: Record<string, unknown> | undefined, c: PlotColors): Record<string, unknown> {
  return {
    automargin: true,
    gridcolor: c.grid,
    linecolor: c.line,
    zerolinecolor: c.line,
    tickcolor: c.line,
    exponentformat: 'power',
    ...NO_OVERFLOW_CHECK,
    ...axis,
  };
}

/**
 * A horizontal legend above the plot area, left-aligned (below it collides with the x axis title at
 * narrow widths; Plotly pushes the top margin to make room), high enough to clear the top tick labels.
 */
export const LEGEND_ABOVE = { orientation: 'h', x: 0, xanchor: 'left', y: 1.06, yanchor: 'bottom' } as const;
