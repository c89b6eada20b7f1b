import { beforeAll } from 'vitest';
import { initNodeBackend } from '../src/cli/nodeHost';

// Every Node test runs on the wasm backend, the fast path on a machine without a GPU.
beforeAll(async () => {
  await initNodeBackend('wasm');
});
