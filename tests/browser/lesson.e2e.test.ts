import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { artifacts, describeTask, launch, LONG_TASK_OBSERVER, longTasksIn, pageClock, startPreview } from './harness';

let server: { url: string; stop: () => void };
let browser: Browser;

beforeAll(async () => {
  server = await startPreview(4192);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  server?.stop();
});

const SIZES = [
  [1280, 800],
  [1024, 768],
  [1920, 1080],
] as const;

const step = (page: Page, n: number) => page.locator(`[data-testid=lesson][data-step="${n}"]`).waitFor();

/** Waits until the element has the lesson's outline (it may appear only once its run starts). */
const highlighted = (page: Page, selector: string, timeout = 20_000) =>
  page.waitForFunction((sel) => document.querySelector(sel)?.classList.contains('lesson-target'), selector, {
    timeout,
  });

/**
 * Pairs of overlapping labels in the plots under `root`: axis titles, legends, tick labels and point
 * labels, each plot on its own.
 */
function overlaps(page: Page, root: string) {
  return page.evaluate((rootSel) => {
    const found: string[] = [];
    // Every plot there draws on a canvas (plots/chartView.ts); its chart reports where each text landed.
    for (const plot of document.querySelectorAll<HTMLElement>(`${rootSel} .plot, ${rootSel} .pca-chart`)) {
      type Box = { left: number; top: number; right: number; bottom: number };
      const labels = (plot as unknown as { chart?: { geometry: { labels: Array<{ text: string; box: Box }> } } }).chart
        ?.geometry.labels;
      (labels ?? []).forEach((a, i) =>
        labels!.slice(i + 1).forEach((b) => {
          const w = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
          const h = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
          const name = plot.dataset.testid ?? plot.parentElement?.dataset.testid;
          if (w > 1 && h > 1) found.push(`${name}: "${a.text}" × "${b.text}"`);
        }),
      );
    }
    return found;
  }, root);
}

/** Every visible input has a label and every button a name (what a screen reader announces). */
function unlabelled(page: Page) {
  return page.evaluate(() => {
    const bad: string[] = [];
    for (const el of document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) {
      if (el.type === 'hidden' || el.hidden || el.closest('[hidden]')) continue;
      const named = el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (!named)
        bad.push(
          `${el.tagName.toLowerCase()}#${el.id || '?'} in ${el.closest('[data-testid]')?.getAttribute('data-testid')}`,
        );
    }
    for (const el of document.querySelectorAll('button')) {
      if (!(el.getAttribute('aria-label') || (el.textContent ?? '').trim()))
        bad.push(`button ${el.outerHTML.slice(0, 80)}`);
    }
    return bad;
  });
}

describe('the first five minutes of a teacher (issue #16)', () => {
  it('opens fresh, walks the lesson 1 → 6 with its demo and M2O run, in both themes at three sizes', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    await page.addInitScript(LONG_TASK_OBSERVER);
    page.on('pageerror', (e) => console.log('pageerror:', e.message));
    // A first visit: `demo=1` stands for the bare link (automated browsers get the empty form there).
    await page.goto(server.url + '?demo=1&backend=wasm');
    await page.getByTestId('model-A').waitFor({ timeout: 60_000 });
    await page.getByTestId('model-B').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(artifacts, 'lesson-first-visit-1280x800-light.png') });
    const t0 = Date.now();
    // Each step's start on the page's clock, to say where a long task fell.
    const marks: Array<[string, number]> = [];
    const mark = async (name: string) => marks.push([name, await pageClock(page)]);
    await mark('step 1');

    // 1: two minima. The bundled models are there already, so the step's action is done.
    // The step goes into the URL a task after it renders (lesson/lessonStore.ts), hence the polls on page.url().
    await page.getByTestId('lesson-start').click();
    await step(page, 1);
    await highlighted(page, '[data-testid=endpoints]');
    expect(await page.getByTestId('lesson-live').innerText()).toMatch(/A: 99\.\d\d % test accuracy · B: 99\.\d\d %/);
    expect(await page.getByTestId('lesson-action').isDisabled()).toBe(true);
    await expect.poll(() => page.url()).toContain('lesson=1');

    // 2: the straight line's barrier; the step's button runs the one-click demo.
    await mark('step 2');
    await page.getByTestId('lesson-next').click();
    await step(page, 2);
    await highlighted(page, '[data-testid=barrier-chart]');
    await page.getByTestId('lesson-action').click();
    await page.getByTestId('demo-status').filter({ hasText: 'Done' }).waitFor({ timeout: 420_000 });
    const demoSeconds = (Date.now() - t0) / 1000;
    expect(await page.getByTestId('lesson-live').innerText()).toMatch(/Barrier of the straight line: \d+\.\d\d nats/);

    // 3: alignment lowers it.
    await mark('step 3');
    await page.getByTestId('lesson-next').click();
    await step(page, 3);
    const live3 = await page.getByTestId('lesson-live').innerText();
    const [straight, aligned] = [...live3.matchAll(/(\d+\.\d\d) nats/g)].map((m) => Number(m[1]));
    expect(aligned).toBeLessThan(straight);

    // 4: the LLPF path stays low.
    await mark('step 4');
    await page.getByTestId('lesson-next').click();
    await step(page, 4);
    await highlighted(page, '[data-testid=barrier-chart]');
    const pathMax = Number((await page.getByTestId('lesson-live').innerText()).match(/(\d+\.\d\d) nats/)![1]);
    expect(pathMax).toBeLessThan(straight);

    // 5: M2O; the step's button starts a quick run, and the variance panel is outlined once it exists.
    await mark('step 5');
    await page.getByTestId('lesson-next').click();
    await step(page, 5);
    const t5 = Date.now();
    await page.getByTestId('lesson-action').click();
    await highlighted(page, '[data-testid=panel-variance]', 60_000);
    await page.getByTestId('run-status').filter({ hasText: 'done' }).waitFor({ timeout: 300_000 });
    const m2oSeconds = (Date.now() - t5) / 1000;
    await expect
      .poll(() => page.getByTestId('lesson-live').innerText(), { timeout: 5_000 })
      .toMatch(/Peak test accuracy so far: \d+\.\d\d % at tick \d+/);
    // The M2O run replaced the demo's path on the barrier chart, so the demo line no longer claims it.
    expect(await page.getByTestId('demo-status').innerText()).toMatch(/now show a later M2O run/);

    // 6: symmetries and flatness, pointing at the Geometry section (the barrier chart when it is absent).
    await mark('step 6');
    await page.getByTestId('lesson-next').click();
    await step(page, 6);
    const geometry = (await page.locator('#geometry').count()) > 0;
    await highlighted(page, geometry ? '#geometry' : '[data-testid=barrier-chart]');
    await expect.poll(() => page.url()).toContain('lesson=6');
    await mark('after the lesson: overlap checks, themes, sizes');
    const lessonSeconds = (Date.now() - t0) / 1000;

    // Finish: the card goes, and so does the lesson's parameter.
    await page.getByTestId('lesson-next').click();
    await page.getByTestId('lesson').waitFor({ state: 'detached' });
    await expect.poll(() => page.url()).not.toContain('lesson=');

    // The plots read at a glance: no two labels overlap at 1024 and 1280 px, accuracy within [0, 1].
    const found: Record<string, string[]> = {};
    for (const width of [1024, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      // The PCA panels draw only while on screen: bring them into view, then wait for the redraws.
      await page.getByTestId('panel-pca').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await page.waitForTimeout(1_500);
      const drawn = await page.evaluate(() =>
        [...document.querySelectorAll('.pca-chart')].map(
          (el) => (el as unknown as { chart?: unknown }).chart !== undefined,
        ),
      );
      expect(drawn).toEqual(new Array(10).fill(true));
      found[width] = await overlaps(page, '[data-testid=path-panels]');
    }
    type Chart = { chart: { geometry: { x: { ticks: Array<{ label: string }> }; y: { domain: number[] } } } };
    const accuracyRange = await page.evaluate(
      () => (document.querySelector('[data-testid=plot-variance]') as unknown as Chart).chart.geometry.y.domain,
    );
    const logTicks = await page.evaluate(() =>
      (document.querySelector('[data-testid=plot-variance]') as unknown as Chart).chart.geometry.x.ticks.map(
        (t) => t.label,
      ),
    );

    // Screenshots: both themes (the toggle, remembered), three sizes, the top of the page and the path panels.
    for (const theme of ['light', 'dark']) {
      if (theme === 'dark') {
        await page.getByTestId('theme-toggle').click();
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
        expect(await page.evaluate(() => localStorage.getItem('lowloss-theme'))).toBe('dark');
      }
      for (const [w, h] of SIZES) {
        await page.setViewportSize({ width: w, height: h });
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.waitForTimeout(1_500);
        await page.screenshot({ path: join(artifacts, `lesson-${w}x${h}-${theme}-top.png`) });
        await page.getByTestId('panel-loss').evaluate((el) => el.scrollIntoView({ block: 'start' }));
        await page.waitForTimeout(500);
        await page.screenshot({ path: join(artifacts, `lesson-${w}x${h}-${theme}-panels.png`) });
      }
    }
    const paper = await page.evaluate(() => {
      const canvas = document.querySelector('[data-testid=plot-loss] canvas') as HTMLCanvasElement;
      const [r, g, b] = canvas.getContext('2d')!.getImageData(1, 1, 1, 1).data;
      return `rgb(${r}, ${g}, ${b})`;
    });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.waitForTimeout(1_500);
    await page.addStyleTag({ content: 'header.top { position: static }' }); // the sticky bar would cover the panels
    await page.getByTestId('path-panels').screenshot({ path: join(artifacts, 'lesson-panels-1024-dark.png') });

    // Read last: the observer reports a task a little after it ends.
    const tasks = await longTasksIn(page, marks);
    const during = tasks.filter((t) => t.phase.startsWith('step'));
    const summary = {
      demoSeconds,
      m2oSeconds,
      lessonSeconds,
      longTasksDuringLesson: during,
      longTasksAfter: tasks.filter((t) => !during.includes(t)),
      longestTaskMs: Math.max(0, ...during.map((t) => t.ms)),
      overlaps: found,
      varianceAccuracyRange: accuracyRange,
      varianceTicks: logTicks,
      darkPlotPaper: paper,
    };
    console.log(JSON.stringify(summary));
    writeFileSync(join(artifacts, 'lesson-summary.json'), JSON.stringify(summary, null, 2));
    expect(found[1024]).toEqual([]);
    expect(found[1280]).toEqual([]);
    expect(accuracyRange[0]).toBeGreaterThanOrEqual(0);
    expect(accuracyRange[1]).toBeLessThanOrEqual(1);
    expect(logTicks.join(' ')).not.toMatch(/^\d( \d)+$/);
    expect(paper).toBe('rgb(27, 32, 41)'); // PLOT_COLORS.dark.paper
    // Main-thread tasks over 50 ms are reported (lesson-summary.json), not asserted: on a loaded 2-core machine any
    // task stretches; the target is measured on a quiet one by `npm run bench` (bench/uiBench.ts).
    const where = during.map((t) => describeTask(t, true)).join(', ');
    console.log(`lesson: ${during.length} main-thread tasks over 50 ms${where ? `: ${where}` : ''}`);
    await page.close();
  }, 900_000);

  it('links to a step (?lesson=3), keeps it through setup changes, and labels every control', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(server.url + '?lesson=3&backend=wasm');
    await step(page, 3);
    // The system's dark preference, with nothing remembered yet.
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByTestId('model-A').waitFor({ timeout: 60_000 }); // a lesson link loads the bundled models
    await page.getByLabel('paper', { exact: true }).check();
    expect(page.url()).toMatch(/preset=paper.*lesson=3|lesson=3.*preset=paper/);
    await page.reload();
    await step(page, 3);
    // Focus lands in the lesson card when it opens (a frame after it shows), so the arrow keys walk the steps.
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid))
      .toBe('lesson');
    await page.keyboard.press('ArrowLeft');
    await step(page, 2);
    await expect.poll(() => page.url()).toContain('lesson=2');
    await page.keyboard.press('Escape');
    await page.getByTestId('lesson').waitFor({ state: 'detached' });
    await expect.poll(() => page.url()).not.toContain('lesson=');
    // The toggle's choice outlives a reload.
    await page.getByTestId('theme-toggle').click();
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    // Hyperparameters one click away; every input labelled, every button named.
    await page.getByText('All hyperparameters').click();
    await page.locator('#cfg-ticks').waitFor();
    expect(await unlabelled(page)).toEqual([]);
    // Keyboard focus is visible.
    await page.locator('body').click({ position: { x: 2, y: 300 } });
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const s = getComputedStyle(el);
      return { tag: el.tagName, outline: s.outlineStyle, width: s.outlineWidth };
    });
    expect(ring.outline).not.toBe('none');
    await page.screenshot({ path: join(artifacts, 'lesson-link-1024x768.png') });
    await context.close();
  }, 180_000);
});
