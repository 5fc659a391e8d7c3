#!/usr/bin/env node
// Thin launcher so the bin link exists before the first build; the program lives in dist/.
import('../dist/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
    console.error('agent-otp is not built yet: run `npm install` (or `npm run build`) first.');
    process.exit(1);
  }
  throw error;
});
