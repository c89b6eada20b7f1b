import { initNodeBackend } from '../src/node/nodeHost';

// Every Node test runs on the wasm backend, the fast path on a machine without a GPU.
// Top-level await: test files may create tensors while they are collected.
await initNodeBackend('wasm');
