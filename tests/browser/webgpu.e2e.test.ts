import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { artifacts, launch, startPreview, WEBGPU_FLAGS } from './harness';

let server: { url: string; stop: () => void };
let browser: Browser;

beforeAll(async () => {
  server = await startPreview(4181);
  browser = await launch(WEBGPU_FLAGS);
});
afterAll(async () => {
  await browser?.close();
  server?.stop();
});

describe('the WebGPU backend path (SwiftShader adapter, SPEC §8)', () => {
  it('is detected as software and skipped by the automatic choice', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    const status = page.getByTestId('status');
    await status.filter({ hasText: 'backend wasm' }).waitFor({ timeout: 60_000 });
    expect(await status.innerText()).toMatch(/skipped webgpu \(software/);
    await page.close();
  });

  it('runs when asked for with ?backend=webgpu: trains one SGD step inside the worker on WebGPU', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => console.log('pageerror:', e.message));
    // 1/937 of an epoch = exactly one step of batch 64; evaluated on 64 test images, since a
    // software adapter needs seconds per kernel-heavy pass.
    await page.goto(`${server.url}?backend=webgpu&epochs=${1 / 937}&endpoint-test=64`);
    await page.getByTestId('backend').filter({ hasText: 'backend webgpu' }).waitFor({ timeout: 120_000 });
    await page.getByText('MNIST loaded').waitFor({ timeout: 60_000 });
    const t0 = Date.now();
    await page.getByTestId('train-A').click();
    await page.getByTestId('model-A').waitFor({ timeout: 500_000 });
    const text = await page.getByTestId('model-A').innerText();
    console.log(
      `WebGPU (SwiftShader): one SGD step + evaluation of 64 test images in ` +
        `${((Date.now() - t0) / 1000).toFixed(1)} s; ${text}`,
    );
    expect(text).toMatch(/0\.00107 epochs/);
    expect(text).toMatch(/test accuracy \d+\.\d+ %/);
    await page.screenshot({ path: join(artifacts, 'app-webgpu.png') });
    await page.close();
  }, 600_000);
});
