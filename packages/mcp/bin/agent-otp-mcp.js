#!/usr/bin/env node
// Thin launcher so the bin link exists before the first build; the program lives in dist/.
import('../dist/cli.js').then(
  ({ main }) => main(process.argv.slice(2)),
  (error) => {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
      console.error('agent-otp-mcp is not built yet: run `npm run build` first.');
      process.exit(1);
    }
    throw error;
  },
);
