import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { artifacts, describeTask, launch, LONG_TASK_OBSERVER, longTasksIn, pageClock, startPreview } from './harness';

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

type Trace = { name: string; x: number[]; y: number[] };
/** The traces of a canvas chart by test id, as last drawn (plots/chartView.ts). */
const tracesOf = (id: string) => `(document.querySelector('[data-testid=${id}]')).chart?.data ?? []`;

describe('the one-click demo (issues #13, #16)', () => {
  it('shows the straight line’s barrier, the aligned line, the low LLPF path and the landscape plane', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(LONG_TASK_OBSERVER);
    page.on('pageerror', (e) => console.log('pageerror:', e.message));
    // A first visit: `demo=1` stands for the bare link (automated browsers get the empty form there).
    await page.goto(server.url + '?demo=1&backend=wasm');
    await page.getByTestId('model-A').waitFor({ timeout: 60_000 });
    await page.getByTestId('model-B').waitFor({ timeout: 60_000 });
    const t0 = Date.now();
    const marks: Array<[string, number]> = [['the demo', await pageClock(page)]];
    await page.getByTestId('demo').click();
    await page.getByTestId('demo-status').filter({ hasText: 'Done' }).waitFor({ timeout: 400_000 });
    marks.push(['after the demo: scrubber, digit, resize, screenshots', await pageClock(page)]);
    console.log(`demo: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // The path trace is redrawn at most every 300 ms: wait for its last points.
    await page.getByTestId('llpf-points').filter({ hasText: /^100$/ }).waitFor({ timeout: 5_000 });
    const barrierTraces = () => page.evaluate(tracesOf('plot-barrier')) as Promise<Trace[]>;
    const pathTrace = async () => (await barrierTraces()).find((t) => t.name.startsWith('LLPF path'))!;
    await expect.poll(async () => (await pathTrace()).y.length, { timeout: 10_000 }).toBe(100);
    const chart = await page.evaluate(() => {
      const state = (window as unknown as { __lowloss: { store: { get(): Record<string, never> } } }).__lowloss.store;
      const { line, aligned } = state.get().baselines as Record<string, { barrier: number; trainLoss: number[] }>;
      return { line, aligned };
    });
    const path = (await pathTrace()).y;
    console.log(
      `barriers: line ${chart.line.barrier.toFixed(3)}, aligned ${chart.aligned.barrier.toFixed(3)}, ` +
        `path max loss ${Math.max(...path).toFixed(4)} over ${path.length} ticks`,
    );
    expect(chart.line.trainLoss).toHaveLength(25);
    expect(path).toHaveLength(100); // quick M2M: 100 ticks, each with training
    expect(chart.line.barrier).toBeGreaterThan(Math.max(...path));
    expect(chart.aligned.barrier).toBeLessThan(chart.line.barrier);
    // The path measured as the lines are (the first 10,000 training images, at its 6 evaluated ticks).
    const evaluated = (await barrierTraces()).find((t) => t.name.startsWith('LLPF path (train loss on the fixed'))!;
    expect(evaluated.y).toHaveLength(6);
    expect(Math.max(...evaluated.y)).toBeLessThan(0.1);
    expect(await page.getByTestId('barrier-row-LLPF-evaluated').innerText()).toMatch(/6 evaluated ticks/);
    expect(await page.getByTestId('barrier-caption').innerText()).toMatch(/What you see/);
    expect(await page.getByTestId('run-status').innerText()).toMatch(/done/);
    await page.screenshot({ path: join(artifacts, 'demo-1280x800.png') });

    // The landscape plane (issue #13): the demo computed it after the path; a full grid of numbers,
    // and the path's 21 snapshots (every 5 ticks of 100) projected onto it.
    expect(await page.getByTestId('plane-status').innerText()).toMatch(/21×21 grid on 2,000 training images/);
    const planeTraces = () => page.evaluate(tracesOf('plot-plane')) as Promise<Trace[]>;
    const grid = (await page.evaluate(
      () =>
        (document.querySelector('[data-testid=plot-plane]') as unknown as { chart: { extra: { z: number[][] } } }).chart
          .extra.z,
    )) as Array<Array<number | null>>;
    expect(grid).toHaveLength(21);
    expect(grid.flat().every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
    const projected = (await planeTraces()).find((t) => t.name.startsWith('LLPF path snapshots'))!;
    expect(projected.x).toHaveLength(21);
    expect(new Set(projected.x.map((x) => x.toFixed(3))).size).toBeGreaterThan(10);
    const plane = await page.evaluate(() => {
      const s = (window as unknown as { __lowloss: { store: { get(): Record<string, never> } } }).__lowloss.store;
      return (s.get().plane as { plane: { trainLoss: number[][] }; ms: number }) ?? null;
    });
    const losses = plane.plane.trainLoss.flat();
    console.log(
      `plane: 21×21 in ${(plane.ms / 1000).toFixed(1)} s, train loss ${Math.min(...losses).toFixed(4)}…` +
        `${Math.max(...losses).toFixed(2)}`,
    );
    expect(await page.getByTestId('plane-caption').innerText()).toMatch(/What you see.*projection can mislead/s);
    await page.getByTestId('plane-panel').screenshot({ path: join(artifacts, 'plane-1280.png') });

    // The scrubber: ten snapshots back from the end is tick 50, marked on the barrier chart and the plane.
    const slider = page.getByTestId('scrub-slider');
    await slider.focus();
    await slider.press('End');
    for (let i = 0; i < 10; i++) await slider.press('ArrowLeft');
    await page.getByTestId('scrub-metrics').filter({ hasText: '50 of 100' }).waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('scrub-metrics').innerText()).toMatch(/distance to B\s+\d+\.\d{3}/);
    const marked = async (id: string) =>
      ((await page.evaluate(tracesOf(id))) as Trace[]).find((t) => t.name === 'scrubber: tick 50');
    await expect.poll(async () => (await marked('plot-barrier'))?.x, { timeout: 5_000 }).toEqual([0.5]);
    await expect
      .poll(async () => (await marked('plot-plane'))?.x[0], { timeout: 5_000 })
      .toBeCloseTo(projected.x[10], 6);

    // The digit canvas: a drawn 7, classified by A, the path at tick 50 and B in the worker.
    const box = (await page.getByTestId('digit-canvas').boundingBox())!;
    await page.mouse.move(box.x + 0.25 * box.width, box.y + 0.22 * box.height);
    await page.mouse.down();
    await page.mouse.move(box.x + 0.75 * box.width, box.y + 0.22 * box.height, { steps: 10 });
    await page.mouse.move(box.x + 0.45 * box.width, box.y + 0.85 * box.height, { steps: 12 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('prediction-top').count(), { timeout: 10_000 }).toBe(3);
    const tops = await page.getByTestId('prediction-top').allInnerTexts();
    console.log(`drawn 7: A, path (tick 50), B predict ${tops.join(' | ')}`);
    tops.forEach((t) => expect(t).toMatch(/^\d \(\d+\.\d %\)$/));
    expect(await page.getByTestId('prediction-path').innerText()).toMatch(/path at tick 50/);
    await page.getByTestId('scrubber').screenshot({ path: join(artifacts, 'scrubber-1280.png') });
    await page.getByTestId('barrier-chart').screenshot({ path: join(artifacts, 'barrier-chart-1280.png') });

    await page.setViewportSize({ width: 1024, height: 768 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(artifacts, 'demo-1024x768.png') });
    await page.getByTestId('barrier-chart').screenshot({ path: join(artifacts, 'barrier-chart-1024.png') });
    // Read last: the observer reports a task a little after it ends.
    const tasks = await longTasksIn(page, marks);
    const during = tasks.filter((t) => t.phase === 'the demo');
    const where = (list: typeof tasks) => list.map((t) => describeTask(t)).join(', ');
    console.log(`long tasks > 50 ms: ${during.length} during the demo ${where(during)}`);
    console.log(
      `long tasks > 50 ms after it: ${tasks.length - during.length} ${where(tasks.filter((t) => t.phase !== 'the demo'))}`,
    );
    await page.close();
  }, 600_000);
});
