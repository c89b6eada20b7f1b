#!/usr/bin/env node
// The browser tests drive Debian's Chromium (no test tool downloads a browser of its own).
// Installs it with apt-get when missing and allowed (root), else says how.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
if (candidates.some((p) => existsSync(p))) process.exit(0);
const root = process.getuid?.() === 0;
let hasApt = false;
try {
  execSync('command -v apt-get', { stdio: 'ignore' });
  hasApt = true;
} catch {
  // no apt-get: say so below
}
if (root && hasApt) {
  console.error("Chromium is missing: installing Debian's chromium (apt-get install -y chromium)…");
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
    stdio: 'inherit',
  });
  process.exit(0);
}
console.error(
  'The browser tests need Chromium: run `sudo apt-get install -y chromium`, or set CHROMIUM_PATH to a Chromium binary.',
);
process.exit(1);
