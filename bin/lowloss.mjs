#!/usr/bin/env node
// Entry of the `lowloss` CLI: runs the TypeScript engine through tsx's loader, so the CLI,
// the worker and the tests share one source tree with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly: the wasm backend keeps handles open.
process.exit(code);
