import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Two cores here and in CI: files run in parallel, two at a time.
    maxWorkers: 2,
  },
});
