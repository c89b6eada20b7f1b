import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { artifacts, launch, LONG_TASK_OBSERVER, startPreview } from './harness';

let server: { url: string; stop: () => void };
let browser: Browser;

beforeAll(async () => {
  server = await startPreview(4186);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  server?.stop();
});

describe('the one-click demo (issues #13, #16)', () => {
  it('loads the bundled models, shows the straight line’s barrier, the aligned line and the low LLPF path', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(LONG_TASK_OBSERVER);
    page.on('pageerror', (e) => console.log('pageerror:', e.message));
    // A first visit: `demo=1` stands for the bare link (automated browsers get the empty form there).
    await page.goto(server.url + '?demo=1&backend=wasm');
    await page.getByTestId('model-A').waitFor({ timeout: 60_000 });
    await page.getByTestId('model-B').waitFor({ timeout: 60_000 });
    const t0 = Date.now();
    const tasksBefore = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.length);
    await page.getByTestId('demo').click();
    await page.getByTestId('demo-status').filter({ hasText: 'Done' }).waitFor({ timeout: 400_000 });
    console.log(`demo: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // The path trace is redrawn at most every 300 ms: wait for its last points.
    await page
      .getByTestId('barrier-row-LLPF')
      .filter({ hasText: /\b100$/ })
      .waitFor({ timeout: 5_000 });
    const pathLength = () =>
      page.evaluate(
        () =>
          (document.querySelector('[data-testid=plot-barrier]') as unknown as { data: Array<{ y: number[] }> }).data[2]
            .y.length,
      );
    await expect.poll(pathLength, { timeout: 10_000 }).toBe(100);
    const chart = await page.evaluate(() => {
      const div = document.querySelector('[data-testid=plot-barrier]') as unknown as { data: Array<{ y: number[] }> };
      const state = (window as unknown as { __lowloss: { store: { get(): Record<string, never> } } }).__lowloss.store;
      const { line, aligned } = state.get().baselines as Record<string, { barrier: number; trainLoss: number[] }>;
      return { line, aligned, path: div.data[2].y };
    });
    console.log(
      `barriers: line ${chart.line.barrier.toFixed(3)}, aligned ${chart.aligned.barrier.toFixed(3)}, ` +
        `path max loss ${Math.max(...chart.path).toFixed(4)} over ${chart.path.length} ticks`,
    );
    expect(chart.line.trainLoss).toHaveLength(25);
    expect(chart.path).toHaveLength(100); // quick M2M: 100 ticks, each with training
    expect(chart.line.barrier).toBeGreaterThan(Math.max(...chart.path));
    expect(chart.aligned.barrier).toBeLessThan(chart.line.barrier);
    expect(await page.getByTestId('barrier-caption').innerText()).toMatch(/What you see/);
    expect(await page.getByTestId('run-status').innerText()).toMatch(/done/);
    await page.screenshot({ path: join(artifacts, 'demo-1280x800.png') });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(artifacts, 'demo-1024x768.png') });
    await page.getByTestId('barrier-chart').screenshot({ path: join(artifacts, 'barrier-chart-1024.png') });
    const all = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    const during = all.slice(tasksBefore);
    console.log(`long tasks > 50 ms: ${tasksBefore} before the click, ${during.length} during the demo: ${during}`);
    await page.close();
  }, 600_000);
});
