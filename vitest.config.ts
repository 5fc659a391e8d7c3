import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages from their TypeScript sources, so a test run never
// depends on a stale build. The CLI's process-level tests still use the built dist/.
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      // Subpath entries first: an alias key also matches as a prefix.
      '@agent-otp/server/core-context': source('./packages/server/src/core-context.ts'),
      '@agent-otp/server/logger': source('./packages/server/src/logger.ts'),
      '@agent-otp/core/context-parts': source('./packages/core/src/context-parts.ts'),
      '@agent-otp/core/pending-decisions': source('./packages/core/src/pending-decisions.ts'),
      '@orrisai/agent-otp-contract/webhook-signing': source('./packages/contract/src/webhook-signing.ts'),
      '@orrisai/agent-otp-contract/stored-values': source('./packages/contract/src/stored-values.ts'),
      '@agent-otp/shared/stored-values': source('./packages/shared/src/stored-values.ts'),
      '@orrisai/agent-otp-sdk/webhooks': source('./packages/sdk/src/webhooks.ts'),
      '@orrisai/agent-otp-contract': source('./packages/contract/src/index.ts'),
      '@agent-otp/shared': source('./packages/shared/src/index.ts'),
      '@agent-otp/extract': source('./packages/extract/src/index.ts'),
      '@agent-otp/db': source('./packages/db/src/index.ts'),
      '@agent-otp/config': source('./packages/config/src/index.ts'),
      '@agent-otp/events': source('./packages/events/src/index.ts'),
      '@agent-otp/jobs': source('./packages/jobs/src/index.ts'),
      '@agent-otp/core': source('./packages/core/src/index.ts'),
      '@agent-otp/server': source('./packages/server/src/index.ts'),
      '@agent-otp/email': source('./packages/email/src/index.ts'),
      '@agent-otp/telegram': source('./packages/telegram/src/index.ts'),
      '@orrisai/agent-otp-sdk': source('./packages/sdk/src/index.ts'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites that start real servers (PostgreSQL schemas, dovecot, chromium) share the machine.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
