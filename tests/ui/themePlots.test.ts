import { describe, expect, it } from 'vitest';
import { logLabel, logTicks, powerOfTen, sameTicks } from '../../src/ui/plots/logTicks';
import { LAYER_COLORS, LAYER_GROUPS, METRIC_COLORS, layerColor } from '../../src/ui/plots/palette';
import { hasSecondComponent } from '../../src/ui/plots/pcaAxes';
import { PLOT_COLORS, themedLayout } from '../../src/ui/plots/theme';
import { parseThemeChoice, resolveTheme, toggledChoice } from '../../src/ui/theme';

describe('theme choice (prefers-color-scheme, then the remembered toggle)', () => {
  it('follows the system until the user chooses, then keeps the choice', () => {
    expect(resolveTheme(parseThemeChoice(null), true)).toBe('dark');
    expect(resolveTheme(parseThemeChoice(null), false)).toBe('light');
    expect(resolveTheme(parseThemeChoice('light'), true)).toBe('light');
    expect(resolveTheme(parseThemeChoice('dark'), false)).toBe('dark');
    expect(parseThemeChoice('purple')).toBe('system');
    expect(toggledChoice('dark')).toBe('light');
    expect(toggledChoice('light')).toBe('dark');
  });
});

describe('plot layouts in the theme', () => {
  it('colours paper, text and grid by the theme, and lets every axis make room for its labels', () => {
    const base = { xaxis: { title: { text: 'tick' } }, yaxis2: { overlaying: 'y', side: 'right' } };
    const dark = themedLayout(base, 'dark') as Record<string, Record<string, unknown>>;
    expect(dark.paper_bgcolor).toBe(PLOT_COLORS.dark.paper);
    expect(dark.font.color).toBe(PLOT_COLORS.dark.text);
    for (const axis of ['xaxis', 'yaxis', 'yaxis2']) {
      expect(dark[axis]).toMatchObject({ automargin: true, gridcolor: PLOT_COLORS.dark.grid, exponentformat: 'power' });
    }
    expect(dark.xaxis.title).toEqual({ text: 'tick' });
    expect(dark.yaxis2.side).toBe('right');
    const light = themedLayout(base, 'light') as Record<string, Record<string, unknown>>;
    expect(light.paper_bgcolor).not.toBe(dark.paper_bgcolor);
    expect(base).toEqual({ xaxis: { title: { text: 'tick' } }, yaxis2: { overlaying: 'y', side: 'right' } });
  });

  it('keeps what a panel sets explicitly', () => {
    const t = themedLayout({ xaxis: { automargin: false, gridcolor: 'red' }, legend: { y: 1.1 } }, 'light') as Record<
      string,
      Record<string, unknown>
    >;
    expect(t.xaxis).toMatchObject({ automargin: false, gridcolor: 'red' });
    expect(t.legend).toMatchObject({ y: 1.1, font: { color: PLOT_COLORS.light.text } });
  });
});

describe('one palette: a colour per layer, none shared with a metric', () => {
  it('gives a tensor its layer’s colour', () => {
    expect(LAYER_GROUPS).toEqual(['conv1', 'conv2', 'fc1', 'fc2', 'fc3']);
    expect(layerColor('fc1.weight')).toBe(LAYER_COLORS.fc1);
    expect(layerColor('fc1.bias')).toBe(LAYER_COLORS.fc1);
    expect(layerColor('conv2')).toBe(LAYER_COLORS.conv2);
    const all = [...Object.values(LAYER_COLORS), ...Object.values(METRIC_COLORS)];
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('readable log ticks (no "3 2 0.01 9 8 7")', () => {
  it('writes powers of ten with superscripts, small ones plainly', () => {
    expect(powerOfTen(-3)).toBe('10⁻³');
    expect(powerOfTen(-12)).toBe('10⁻¹²');
    expect(powerOfTen(4)).toBe('10⁴');
    expect(powerOfTen(0)).toBe('1');
    expect(powerOfTen(2)).toBe('100');
    expect(logLabel(2, -3, false)).toBe('2·10⁻³');
    expect(logLabel(5, -2, true)).toBe('0.05');
    expect(logLabel(1, -1, false)).toBe('10⁻¹');
  });

  it('labels whole decades when three or more lie in the range', () => {
    expect(logTicks(2e-4, 0.5)).toEqual({
      tickvals: [1e-4, 1e-3, 1e-2, 1e-1, 1],
      ticktext: ['10⁻⁴', '10⁻³', '10⁻²', '10⁻¹', '1'],
    });
    // Twenty decades: at most seven labels, every few decades, always including the top one.
    const wide = logTicks(1e-18, 30)!;
    expect(wide.tickvals.length).toBeLessThanOrEqual(7);
    expect(wide.tickvals.at(-1)).toBe(100);
  });

  it('uses 1-2-5 within about a decade, every label written in full', () => {
    // The M2O variance panel's range that read "5 2 0.01 5 2 0.001" before.
    expect(logTicks(0.0012, 0.04)).toEqual({
      tickvals: [0.002, 0.005, 0.01, 0.02],
      ticktext: ['0.002', '0.005', '0.01', '0.02'],
    });
    expect(logTicks(3e-5, 4e-4)!.ticktext).toEqual(['5·10⁻⁵', '10⁻⁴', '2·10⁻⁴']);
    // Narrower: more digits until three ticks fit.
    expect(logTicks(2.1, 4.5)!.tickvals).toEqual([3, 4]);
    expect(logTicks(1.1, 1.4)!.ticktext).toEqual(['1.1', '1.4']);
  });

  it('gives nothing for data it cannot place on a log axis', () => {
    expect(logTicks(0, 1)).toBeNull();
    expect(logTicks(Infinity, -Infinity)).toBeNull();
    expect(logTicks(NaN, 1)).toBeNull();
    expect(sameTicks(logTicks(0.01, 1), logTicks(0.01, 1))).toBe(true);
    expect(sameTicks(logTicks(0.01, 1), logTicks(0.001, 1))).toBe(false);
    expect(sameTicks(null, null)).toBe(true);
  });
});

describe('PCA panels: the second component needs three snapshots', () => {
  const view = (n: number, explained: number[]) => ({ ticks: new Float64Array(n), explained });
  it('hides PC2 with fewer than three points or when it is rounding noise', () => {
    expect(hasSecondComponent(undefined)).toBe(false);
    expect(hasSecondComponent(view(2, [1, 3e-19]))).toBe(false);
    expect(hasSecondComponent(view(5, [1, 1e-12]))).toBe(false);
    expect(hasSecondComponent(view(3, [0.9, 0.1]))).toBe(true);
  });
});
