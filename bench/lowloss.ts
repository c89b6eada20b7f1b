/** Runs the `lowloss` CLI as a user would (a process of its own, from the repository root) and times it. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** `lowloss ...args`: its wall-clock seconds and stdout; a non-zero exit throws with the end of stderr. */
export function timeLowloss(args: string[]): { seconds: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['bin/lowloss.mjs', ...args], { cwd: root, encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`lowloss ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-400)}`);
  return { seconds, stdout: r.stdout };
}
