#!/usr/bin/env node
// Thin launcher so the bin link exists before the first build; the program lives in dist/.
// It runs the bundle `npm run build` writes to dist/bundle/ (a few chunks instead of ~750
// modules: most of a command's start-up time, issue 17). If a workspace file the bundle was
// built from has changed since (`tsc -b` without a new bundle), it runs tsc's dist/main.js,
// the same program unbundled, so it never runs code older than the last build.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Paths, not URLs: the check stats every input (~500 files) and must cost next to nothing.
const BUNDLE_DIR = fileURLToPath(new URL('../dist/bundle/', import.meta.url));

function bundleIsCurrent() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(`${BUNDLE_DIR}inputs.json`, 'utf8'));
  } catch {
    return false;
  }
  return manifest.inputs.every((input) => {
    const stats = statSync(BUNDLE_DIR + input, { throwIfNoEntry: false });
    return stats !== undefined && stats.mtimeMs <= manifest.builtAtMs;
  });
}

const entry = bundleIsCurrent() ? '../dist/bundle/main.js' : '../dist/main.js';
import(entry).catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
    console.error('agent-otp is not built yet: run `npm install` (or `npm run build`) first.');
    process.exit(1);
  }
  throw error;
});
