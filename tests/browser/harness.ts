import { fileURLToPath } from 'node:url';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const artifacts = join(root, 'test-results');
mkdirSync(artifacts, { recursive: true });

/** Debian's Chromium (no test tool downloads a browser of its own). */
export function chromiumPath(): string {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean,
  ) as string[]) {
    if (existsSync(p)) return p;
  }
  throw new Error("Chromium not found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH");
}

export const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
/** SPEC §8: a SwiftShader WebGPU adapter in headless Chromium. */
export const WEBGPU_FLAGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export function launch(flags: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: [...BASE_FLAGS, ...flags] });
}

/** Builds the app and serves it with `vite preview` (COOP/COEP set) on a free port. */
export async function startPreview(port: number): Promise<{ url: string; stop: () => void }> {
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', `dist-test-${port}`, '--emptyOutDir'],
    { cwd: root, encoding: 'utf8' },
  );
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
  const server: ChildProcess = spawn(
    process.execPath,
    [
      join(root, 'node_modules/vite/bin/vite.js'),
      'preview',
      '--port',
      String(port),
      '--strictPort',
      '--outDir',
      `dist-test-${port}`,
    ],
    { cwd: root, stdio: 'pipe' },
  );
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return { url, stop: () => server.kill() };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  server.kill();
  throw new Error('vite preview did not start');
}

/**
 * Records every main-thread long task (> 50 ms) from page load on: its duration and start (page clock, ms), and
 * every long animation frame (Chromium's LoAF) with the time its scripts and its style and layout took and the
 * three longest scripts, so a long task can say whether the page's own work filled it or the thread waited.
 */
export const LONG_TASK_OBSERVER = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push([e.duration, e.startTime]);
  }).observe({ type: 'longtask', buffered: true });
  window.__longFrames = [];
  try {
    new PerformanceObserver((list) => {
      for (const f of list.getEntries()) {
        const scripts = [...f.scripts].sort((a, b) => b.duration - a.duration);
        window.__longFrames.push([
          f.startTime,
          f.duration,
          scripts.reduce((s, x) => s + x.duration, 0),
          f.styleAndLayoutStart ? f.startTime + f.duration - f.styleAndLayoutStart : 0,
          scripts.slice(0, 3).map((x) => (x.sourceFunctionName || x.invoker) + ' ' + Math.round(x.duration)).join(', '),
        ]);
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    /* a browser without LoAF: the tasks go unexplained */
  }
  // The app's own User Timing measures over 10 ms (\`draw <panel>\` from the draw scheduler): whose draw a long task was.
  window.__measures = [];
  new PerformanceObserver((list) => {
    for (const m of list.getEntries()) if (m.duration > 10) window.__measures.push([m.startTime, m.duration, m.name]);
  }).observe({ type: 'measure', buffered: true });
`;

/** The page's clock (performance.now(), ms): marks a test's phases on the same clock as its long tasks. */
export const pageClock = (page: Page) => page.evaluate(() => performance.now());

export interface LongTask {
  ms: number;
  /** Where it started, as the phase it fell in and the seconds since that phase began. */
  phase: string;
  atS: number;
  /**
   * What the long animation frame that held the task spent (LoAF): `script 40 ms (onmessage 38), layout 5 ms`, or
   * `no script, no layout` when the thread was busy with neither (it painted, or waited). These are wall-clock times:
   * a script the OS paused for a core the engine worker held reads as long as one that computed all along.
   */
  held: string;
}

/** A LoAF entry as LONG_TASK_OBSERVER keeps it: start, duration, script ms, style and layout ms, longest scripts. */
export type LongFrame = [number, number, number, number, string];

/** A User Timing measure as LONG_TASK_OBSERVER keeps it: start, duration, name (`draw plane`). */
export type Measure = [number, number, string];

/**
 * What the frame that contains a task at `at` (page clock) spent, in words (LongTask.held), and the app's
 * measures over 10 ms inside the task (`draw plane 48 ms`).
 */
export function heldBy(frames: LongFrame[], at: number, ms = 0, measures: Measure[] = []): string {
  const inside = measures
    .filter(([start, d]) => start >= at - 1 && start + d <= at + ms + 1)
    .map(([, d, name]) => `${name} ${Math.round(d)} ms`);
  const draws = inside.length ? `; ${inside.join(', ')}` : '';
  const f = frames.find(([start, d]) => start <= at + 1 && at < start + d);
  if (!f) return `no long frame recorded${draws}`;
  const [, , script, layout, scripts] = f;
  const s = script >= 1 ? `script ${Math.round(script)} ms (${scripts})` : 'no script';
  return `${s}, ${layout >= 1 ? `layout ${Math.round(layout)} ms` : 'no layout'}${draws}`;
}

/**
 * The long tasks that started at or after the first mark, each placed in its phase: marks are
 * `[name, pageClock]` in order, a phase runs from its mark to the next. By start time, not by
 * count: the observer reports a task some time after it ends, so a count taken at a mark can
 * still miss one that ran before it.
 */
export async function longTasksIn(page: Page, marks: Array<[string, number]>): Promise<LongTask[]> {
  const [tasks, frames, measures] = await page.evaluate(() => {
    const w = window as unknown as {
      __longTasks: Array<[number, number]>;
      __longFrames: LongFrame[];
      __measures: Measure[];
    };
    return [w.__longTasks, w.__longFrames, w.__measures] as const;
  });
  const found: LongTask[] = [];
  tasks.forEach(([ms, at]) => {
    let k = -1;
    while (k + 1 < marks.length && marks[k + 1][1] <= at) k++;
    if (k < 0) return;
    found.push({
      ms: Math.round(ms),
      phase: marks[k][0],
      atS: Math.round((at - marks[k][1]) / 100) / 10,
      held: heldBy(frames, at, ms, measures),
    });
  });
  return found;
}

/** A long task in words for a test's log: `54 ms in step 2 at 0.3 s (script 40 ms (…), no layout)`. */
export const describeTask = (t: LongTask, phase = false) =>
  `${t.ms} ms${phase ? ` in ${t.phase}` : ''} at ${t.atS} s (${t.held})`;

/** A Plotly plot's traces (Plotly keeps them on the div), once it drew: Plotly loads with the first such plot. */
export async function plotlyTraces(page: Page, testId: string): Promise<Array<{ y: number[] }>> {
  const handle = await page.waitForFunction(
    (id) => (document.querySelector(`[data-testid=${id}]`) as { data?: Array<{ y: number[] }> } | null)?.data,
    testId,
    { timeout: 30_000 },
  );
  return (await handle.jsonValue()) as Array<{ y: number[] }>;
}
