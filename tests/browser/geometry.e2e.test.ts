import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { artifacts, launch, plotlyTraces, startPreview } from './harness';

let server: { url: string; stop: () => void };
let browser: Browser;

beforeAll(async () => {
  // Not 4190 (the port given in the issue): it is ManageSieve's, on the Fetch standard's list of
  // blocked ports, so neither Node's fetch nor Chromium will connect to it ("bad port").
  server = await startPreview(4290);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  server?.stop();
});

/** Clicks a run button and waits until the geometry job it started has finished. */
async function runJob(page: Page, button: string, timeout = 120_000): Promise<number> {
  const t0 = Date.now();
  await page.getByTestId(button).click();
  await page
    .getByTestId('geometry-job')
    .waitFor({ state: 'attached', timeout: 5_000 })
    .catch(() => undefined);
  await page.getByTestId('geometry-job').waitFor({ state: 'detached', timeout });
  return (Date.now() - t0) / 1000;
}

/** Percent values ("12.34 %") in an element's text. */
const percents = (text: string) => [...text.matchAll(/(\d+\.\d+) %/g)].map((m) => Number(m[1]));

describe('the Geometry section (issue #14)', () => {
  it('canonicalises, compares, measures the error landscape and flatness of the bundled models', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server.url + '?demo=1&backend=wasm');
    await page.getByTestId('model-A').waitFor({ timeout: 60_000 });
    await page.getByTestId('model-B').waitFor({ timeout: 60_000 });
    await page.getByTestId('geometry-toggle').click();
    await page.getByTestId('geometry-status').filter({ hasText: 'MNIST loaded' }).waitFor({ timeout: 180_000 });
    expect(await page.getByTestId('geometry-status').innerText()).toMatch(/geometry worker on wasm/);

    const tCanon = await runJob(page, 'geo-canonical-run');
    const facts = await page.getByTestId('geo-canonical-facts').innerText();
    expect(facts).toMatch(/same predictions on 10,000\/10,000 test images after canonicalisation/);
    expect(facts).toMatch(/raw L2 [\d.]+ → [\d.]+/);

    const tCompare = await runJob(page, 'geo-compare-run');
    const table = await page.getByTestId('geo-distances-table').innerText();
    const l2 = Number(/raw L2\s+([\d.]+)/.exec(table)![1]);
    const aligned = Number(/aligned L2\s+([\d.]+)/.exec(table)![1]);
    expect(l2).toBeGreaterThan(aligned);
    expect(table).toMatch(/geodesic\s+[\d.]+ rad/);
    expect(percents(table)).toHaveLength(3); // function distance and both test errors

    await page.getByTestId('geo-landscape-points').fill('5');
    await page.getByTestId('geo-landscape-train').fill('1000');
    await page.getByTestId('geo-landscape-test').fill('1000');
    const tLandscape = await runJob(page, 'geo-landscape-run');
    const [geodesic] = percents(await page.getByTestId('geo-barrier-geodesic').innerText());
    const [line] = percents(await page.getByTestId('geo-barrier-straight').innerText());
    expect(line).toBeGreaterThan(20); // the straight line between seeds leaves the minimum
    expect(geodesic).toBeLessThan(line);
    const traces = await plotlyTraces(page, 'geo-landscape-plot');
    expect(traces.map((t) => t.y.length)).toEqual([5, 5, 5, 5]);

    const flatness = page.getByTestId('geo-flatness'); // the population panel has the same fields
    await flatness.getByTestId('geo-flatness-sigmas').fill('0, 0.2, 0.5');
    await flatness.getByTestId('geo-flatness-samples').fill('2');
    await flatness.getByTestId('geo-flatness-train').fill('500');
    const tFlatness = await runJob(page, 'geo-flatness-run');
    const curves = await plotlyTraces(page, 'geo-flatness-plot');
    expect(curves).toHaveLength(2);
    for (const c of curves) {
      expect(c.y[0]).toBe(0); // δE(0) = 0
      expect(c.y[2]).toBeGreaterThan(c.y[1]);
    }
    expect(await page.getByTestId('geo-flatness-facts').innerText()).toMatch(/train error [\d.]+ % on 500 images/);
    console.log(
      `geometry e2e: canonical ${tCanon} s, compare ${tCompare} s, landscape ${tLandscape} s, flatness ${tFlatness} s; ` +
        `L2 ${l2} → ${aligned}, barriers: geodesic ${geodesic} %, line ${line} %`,
    );
    expect(await page.getByTestId('geometry-error').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    const captions = await page.locator('[data-testid=geometry-section] .note').allInnerTexts();
    expect(captions.every((c) => c.startsWith('What you see:'))).toBe(true);
    await page.getByTestId('geometry-section').screenshot({ path: join(artifacts, 'geometry-1280.png') });
    await page.close();
  }, 420_000);
});
