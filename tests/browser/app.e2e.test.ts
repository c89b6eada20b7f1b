import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  artifacts,
  describeTask,
  launch,
  LONG_TASK_OBSERVER,
  longTasksIn,
  pageClock,
  root,
  startPreview,
} from './harness';
import { readLenet5 } from '../../src/core/io/checkpoint';

let server: { url: string; stop: () => void };
let browser: Browser;

beforeAll(async () => {
  server = await startPreview(4180);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  server?.stop();
});

async function openApp(query: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1300 } });
  await page.addInitScript(LONG_TASK_OBSERVER);
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.goto(server.url + query);
  await page.getByTestId('backend').filter({ hasText: 'backend wasm' }).waitFor({ timeout: 60_000 });
  await page.getByText('MNIST loaded').waitFor({ timeout: 60_000 });
  return page;
}

const traceLength = (page: Page, testId: string, trace: number) =>
  page.evaluate(
    ([id, t]) =>
      (document.querySelector(`[data-testid=${id}]`) as unknown as { chart?: { data: Array<{ x: unknown[] }> } }).chart
        ?.data[t as number]?.x.length ?? 0,
    [testId, trace] as const,
  );

/** Live plots draw only while on screen (plots/visibility.ts): bring one into view before reading its draw. */
const showPlot = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((el) => el.scrollIntoView({ block: 'center' }));

/** The checkpoint tick of the (only) stored run, read from IndexedDB in the page. */
const storedCheckpoint = (page: Page) =>
  page.evaluate(async () => {
    const req = indexedDB.open('lowloss');
    const db = await new Promise<IDBDatabase>((r) => (req.onsuccess = () => r(req.result)));
    const runs = await new Promise<Array<{ checkpoint: { tick: number } | null }>>((r) => {
      const g = db.transaction('runs').objectStore('runs').getAll();
      g.onsuccess = () => r(g.result);
    });
    db.close();
    return runs[0]?.checkpoint?.tick ?? 0;
  });

describe('Low-Loss Explorer in headless Chromium (wasm backend)', () => {
  it('trains two tiny endpoints in the worker, runs M2M, and fills every panel with streamed points', async () => {
    // 0.05 epoch ≈ 47 SGD steps per endpoint; 8 quick ticks with snapshots every 2.
    const page = await openApp('?preset=quick&mode=m2m&epochs=0.05&ticks=8&snapshot-every=2&eval-every=2');
    for (const slot of ['A', 'B']) {
      await page.getByTestId(`train-${slot}`).click();
      await page.getByTestId('train-progress').first().waitFor({ timeout: 30_000 });
      await page.getByTestId(`model-${slot}`).waitFor({ timeout: 120_000 });
    }
    expect(await page.getByTestId('model-A').innerText()).toMatch(/test accuracy \d+\.\d+ %/);
    await page.screenshot({ path: join(artifacts, 'app-endpoints.png'), fullPage: true });

    // Measure the run only: the full-page screenshot resized the page, and its relayout may run a little later.
    await page.waitForTimeout(1_000);
    const marks: Array<[string, number]> = [['the run', await pageClock(page)]];
    await page.getByTestId('start').click();
    await page.getByTestId('run-status').filter({ hasText: 'done' }).waitFor({ timeout: 120_000 });
    // Plots append in their own tasks, at most every 150 ms: poll for the last points.
    // Ticks 0..8: every tick in the loss and distance panels; test points at 0,2,4,6,8.
    // A training loss from tick 1 on (no SGD at tick 0).
    await showPlot(page, 'plot-loss'); // its neighbour plot-distance shares the row
    await expect.poll(() => traceLength(page, 'plot-loss', 0)).toBe(8);
    await expect.poll(() => traceLength(page, 'plot-loss', 2)).toBe(5);
    for (let g = 0; g < 5; g++) await expect.poll(() => traceLength(page, 'plot-distance', g)).toBe(9);
    // Snapshots at 0,2,4,6,8 → 5 points in every tensor's PCA panel.
    for (const t of ['conv1.weight', 'fc1.weight', 'fc3.bias']) {
      await page.locator(`[data-testid="pca-${t}"][data-points="5"]`).waitFor({ timeout: 20_000 });
    }
    const tasks = await longTasksIn(page, marks);
    const longTasks = tasks.map((t) => t.ms);
    const longest = Math.max(0, ...longTasks);
    console.log(
      `longest main-thread task during the run: ${longest.toFixed(0)} ms (${longTasks.length} tasks over 50 ms` +
        `${tasks.map((t) => `, ${describeTask(t)}`).join('')})`,
    );
    writeFileSync(join(artifacts, 'longtasks.json'), JSON.stringify({ longest, tasks }));
    await page.screenshot({ path: join(artifacts, 'app-m2m-panels.png'), fullPage: true });
    await page.close();
  });

  it('pauses, steps one tick, resumes and stops a run', async () => {
    const page = await openApp(
      '?preset=quick&mode=m2o&ticks=400&rounds-max=0&rounds-min=0&snapshot-every=0&eval-every=100',
    );
    await page
      .getByTestId('endpoint-A')
      .locator('input[type=file]')
      .setInputFiles(join(root, 'tests/fixtures/lenet5-1epoch-seed1.safetensors'));
    await page.getByTestId('model-A').waitFor();
    await page.getByTestId('start').click();
    await page.getByTestId('run-status').filter({ hasText: 'running' }).waitFor();
    await page.getByTestId('pause').click();
    await page.getByTestId('run-status').filter({ hasText: 'paused' }).waitFor();
    const tickOf = async () => Number((await page.getByTestId('run-status').innerText()).match(/tick (\d+)/)![1]);
    await page.waitForTimeout(300);
    const paused = await tickOf();
    await page.waitForTimeout(500);
    expect(await tickOf()).toBe(paused);
    await page.getByTestId('step').click();
    await page.waitForFunction(
      (t) => document.querySelector('[data-testid=run-status]')!.textContent!.includes(`tick ${t + 1} `),
      paused,
    );
    await page.getByTestId('resume').click();
    await page.getByTestId('run-status').filter({ hasText: 'running' }).waitFor();
    await page.getByTestId('stop').click();
    await page.getByTestId('run-status').filter({ hasText: 'stopped' }).waitFor();
    expect(await tickOf()).toBeGreaterThan(paused);
    await page.close();
  });

  it('a NaN loss stops the run with a message and keeps the points so far', async () => {
    const page = await openApp('?preset=quick&mode=m2m&ticks=50&lr=100000&snapshot-every=0');
    for (const [slot, f] of [
      ['A', 'lenet5-1epoch-seed1'],
      ['B', 'lenet5-1epoch-seed2'],
    ]) {
      await page
        .getByTestId(`endpoint-${slot}`)
        .locator('input[type=file]')
        .setInputFiles(join(root, `tests/fixtures/${f}.safetensors`));
      await page.getByTestId(`model-${slot}`).waitFor();
    }
    await page.getByTestId('start').click();
    await page
      .getByTestId('error')
      .filter({ hasText: /training loss became NaN at tick \d+/ })
      .waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('run-status').innerText()).toMatch(/failed/);
    await showPlot(page, 'plot-distance');
    await expect.poll(() => traceLength(page, 'plot-distance', 0)).toBeGreaterThanOrEqual(1); // tick 0 at least
    await page.close();
  });

  it('after a worker crash, continues on wasm from the last checkpoint with the points so far kept', async () => {
    const page = await openApp(
      '?preset=quick&mode=m2o&ticks=4000&rounds-min=0&rounds-max=0&snapshot-every=20&eval-every=1000',
    );
    await page
      .getByTestId('endpoint-A')
      .locator('input[type=file]')
      .setInputFiles(join(root, 'tests/fixtures/lenet5-1epoch-seed1.safetensors'));
    await page.getByTestId('model-A').waitFor();
    await page.getByTestId('start').click();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=run-status]')?.textContent?.match(/tick (\d+)/)?.[1] ?? 0) > 60,
    );
    // Kill the engine worker as a crash would, and let the bridge see it.
    await page.evaluate(() => {
      const b = (globalThis as unknown as { __lowloss: { bridge: { engine: Worker; onCrash(m: string): void } } })
        .__lowloss.bridge;
      b.engine.terminate();
      b.onCrash('the engine worker crashed: simulated by the test');
    });
    await page.getByTestId('error').filter({ hasText: 'simulated by the test' }).waitFor();
    const checkpoint = await page.evaluate(
      () =>
        (
          globalThis as unknown as { __lowloss: { store: { get(): { checkpoint: { tick: number } } } } }
        ).__lowloss.store.get().checkpoint.tick,
    );
    expect(checkpoint % 20).toBe(0);
    await page.getByTestId('continue-wasm').click();
    await page.waitForFunction(
      (cp) =>
        Number(document.querySelector('[data-testid=run-status]')?.textContent?.match(/tick (\d+)/)?.[1] ?? 0) >
        cp + 20,
      checkpoint,
    );
    await page.getByTestId('stop').click();
    await page.getByTestId('run-status').filter({ hasText: 'stopped' }).waitFor();
    // The series runs 0, 1, 2, … without a gap or a repeat across the crash.
    const ticks = await page.evaluate(() =>
      Array.from(
        (
          globalThis as unknown as { __lowloss: { store: { series: { tick: { view(): Float64Array } } } } }
        ).__lowloss.store.series.tick.view(),
      ),
    );
    expect(ticks).toEqual(ticks.map((_, i) => i));
    await page.close();
  });

  it('a run survives a reload: it continues from the last stored checkpoint with every point up to it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1300 } });
    const page = await context.newPage();
    await page.goto(
      server.url + '?preset=quick&mode=m2o&ticks=3000&rounds-min=0&rounds-max=0&snapshot-every=25&eval-every=1000',
    );
    await page.getByText('MNIST loaded').waitFor({ timeout: 60_000 });
    await page
      .getByTestId('endpoint-A')
      .locator('input[type=file]')
      .setInputFiles(join(root, 'tests/fixtures/lenet5-1epoch-seed1.safetensors'));
    await page.getByTestId('model-A').waitFor();
    await page.getByTestId('start').click();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=run-status]')?.textContent?.match(/tick (\d+)/)?.[1] ?? 0) > 80,
    );
    // Storage writes are batched and asynchronous: reload once a checkpoint past tick 75 is stored. (Polled
    // with expect.poll: page.waitForFunction does not await a predicate's promise, and a promise is truthy,
    // so an async predicate there returns at once; that is how this test once reloaded before tick 75 was
    // stored and saw 25 offered.)
    await expect.poll(() => storedCheckpoint(page), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(75);
    const stored = await storedCheckpoint(page);
    const received = await page.evaluate(
      () =>
        (
          globalThis as unknown as { __lowloss: { store: { get(): { checkpoint: { tick: number } } } } }
        ).__lowloss.store.get().checkpoint.tick,
    );
    await page.reload();
    await page.getByText('MNIST loaded').waitFor({ timeout: 60_000 });
    const saved = page.getByTestId('saved-run').first();
    await saved.filter({ hasText: 'interrupted' }).waitFor();
    const button = saved.getByTestId('continue-run');
    const from = Number((await button.innerText()).match(/tick (\d+)/)![1]);
    const newest = await storedCheckpoint(page);
    console.log(
      `before the reload: ${stored} stored, ${received} received; after it: ${newest} stored, ${from} offered`,
    );
    // The newest stored checkpoint is the one offered, and none stored before the reload is lost.
    expect(from).toBe(newest);
    expect(from).toBeGreaterThanOrEqual(stored);
    await button.click();
    await page.waitForFunction(
      (cp) =>
        Number(document.querySelector('[data-testid=run-status]')?.textContent?.match(/tick (\d+)/)?.[1] ?? 0) >
        cp + 20,
      from,
    );
    await page.getByTestId('stop').click();
    await page.getByTestId('run-status').filter({ hasText: 'stopped' }).waitFor();
    const ticks = await page.evaluate(() =>
      Array.from(
        (
          globalThis as unknown as { __lowloss: { store: { series: { tick: { view(): Float64Array } } } } }
        ).__lowloss.store.series.tick.view(),
      ),
    );
    expect(ticks.length).toBeGreaterThan(from + 20);
    expect(ticks).toEqual(ticks.map((_, i) => i)); // 0..from from storage, then the continuation
    await context.close();
  });

  it('round-trips models and runs through files: Save → Load, same model; Export → Open, same points', async () => {
    const page = await openApp('?preset=quick&mode=m2o&ticks=5&rounds-max=0&rounds-min=0');
    const fixture = join(root, 'tests/fixtures/lenet5-1epoch-seed1.safetensors');
    await page.getByTestId('endpoint-A').locator('input[type=file]').setInputFiles(fixture);
    await page.getByTestId('model-A').waitFor();
    const [modelDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('endpoint-A').getByRole('button', { name: 'Save' }).click(),
    ]);
    const saved = readLenet5(new Uint8Array(readFileSync(await modelDownload.path())));
    const original = readLenet5(new Uint8Array(readFileSync(fixture)));
    for (const [name, v] of original.params) expect(Array.from(saved.params.get(name)!)).toEqual(Array.from(v));
    await page.getByTestId('start').click();
    await page.getByTestId('run-status').filter({ hasText: 'done' }).waitFor();
    const [pointsDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export points.jsonl' }).click(),
    ]);
    const lines = readFileSync(await pointsDownload.path(), 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((l) => JSON.parse(l).tick)).toEqual([0, 1, 2, 3, 4, 5]);
    // The CLI's format: every evaluation says on how many test images, and which (issue #9).
    expect(JSON.parse(lines[0]).test).toMatchObject({ samples: 10000, subset: 'full' });
    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(
      readFileSync(await csvDownload.path(), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(7);
    await page.getByTestId('open-run').setInputFiles(await pointsDownload.path());
    await showPlot(page, 'plot-distance');
    await page.waitForFunction(
      () =>
        ((
          document.querySelector('[data-testid=plot-distance]') as unknown as {
            chart?: { data: Array<{ x: unknown[] }> };
          }
        )?.chart?.data[0]?.x.length ?? 0) === 6,
    );
    await page.close();
  });

  it('overlays a saved run on the panels to compare two runs', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1300 } });
    const page = await context.newPage();
    await page.goto(server.url + '?preset=quick&mode=m2o&ticks=5&rounds-max=0&rounds-min=0');
    await page.getByText('MNIST loaded').waitFor({ timeout: 60_000 });
    await page
      .getByTestId('endpoint-A')
      .locator('input[type=file]')
      .setInputFiles(join(root, 'tests/fixtures/lenet5-1epoch-seed1.safetensors'));
    await page.getByTestId('model-A').waitFor();
    for (let i = 0; i < 2; i++) {
      await page.getByTestId('start').click();
      await page.getByTestId('run-status').filter({ hasText: 'done' }).waitFor();
      await page.waitForTimeout(300);
    }
    await page.getByTestId('saved-run').nth(1).getByTestId('compare-run').click(); // the older run
    await showPlot(page, 'plot-distance');
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid=plot-distance]') as unknown as { chart?: { data: unknown[] } })?.chart
          ?.data.length === 10,
    );
    const names = await page.evaluate(() =>
      (
        document.querySelector('[data-testid=plot-distance]') as unknown as {
          chart: { data: Array<{ name: string; x: unknown[] }> };
        }
      ).chart.data.map((d) => [d.name, d.x.length]),
    );
    expect(names.slice(5)).toEqual([
      ['conv1 — compared run', 6],
      ['conv2 — compared run', 6],
      ['fc1 — compared run', 6],
      ['fc2 — compared run', 6],
      ['fc3 — compared run', 6],
    ]);
    await page.screenshot({ path: join(artifacts, 'app-compare.png'), fullPage: true });
    await context.close();
  });

  it('opens a points.jsonl written by the CLI', async () => {
    const page = await openApp('');
    await page.getByTestId('open-run').setInputFiles(join(root, 'tests/fixtures/cli-points.jsonl'));
    await showPlot(page, 'plot-distance');
    await page.waitForFunction(
      () =>
        ((
          document.querySelector('[data-testid=plot-distance]') as unknown as {
            chart?: { data: Array<{ x: unknown[] }> };
          }
        )?.chart?.data[0]?.x.length ?? 0) === 7,
    );
    await showPlot(page, 'plot-loss');
    await expect.poll(() => traceLength(page, 'plot-loss', 0)).toBe(6); // ticks 1..6 have a training loss
    await page.close();
  });

  it('rejects a malformed model file with a clear message and keeps the loaded model', async () => {
    const page = await openApp('');
    const input = page.getByTestId('endpoint-A').locator('input[type=file]');
    await input.setInputFiles(join(root, 'tests/fixtures/lenet5-1epoch-seed1.safetensors'));
    // A bare link also loads the bundled models: wait for this file to replace model A.
    await page.getByTestId('model-A').filter({ hasText: 'lenet5-1epoch-seed1' }).waitFor();
    const good = await page.getByTestId('model-A').innerText();
    const bytes = readFileSync(join(root, 'tests/fixtures/lenet5-1epoch-seed1.safetensors')).subarray(0, 3000);
    await input.setInputFiles({ name: 'broken.safetensors', mimeType: 'application/octet-stream', buffer: bytes });
    await page
      .getByTestId('error')
      .filter({ hasText: /model: not a valid safetensors file/ })
      .waitFor();
    expect(await page.getByTestId('model-A').innerText()).toBe(good);
    await page.close();
  });

  it('says when MNIST fails to load, and loads it on "try again"', async () => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.log('pageerror:', e.message));
    // The training images fail at the network level (every try: the worker tries each file three times).
    let failing = true;
    await page.route('**/data/mnist/train-images-idx3-ubyte', (route) => (failing ? route.abort() : route.continue()));
    await page.goto(server.url + '?backend=wasm');
    await page
      .getByTestId('error')
      .filter({ hasText: /data: could not load train-images-idx3-ubyte after 3 tries/ })
      .waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('status').innerText()).toMatch(/MNIST error/);
    failing = false;
    await page.getByTestId('retry-data').click();
    await page.getByText('MNIST loaded').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('retry-data').count()).toBe(0);
    await page.close();
  });
});
