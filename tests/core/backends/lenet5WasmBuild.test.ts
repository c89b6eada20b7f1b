import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('committed LeNet5 kernel binary (issue #10)', () => {
  it('src/core/kernels/lenet5Wasm.ts is what scripts/build-kernel.mjs builds from kernels/lenet5', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const r = spawnSync(process.execPath, ['scripts/build-kernel.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('up to date');
    expect(r.status).toBe(0);
  });
});
