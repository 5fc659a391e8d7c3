import { resolve } from 'node:path';
import * as z from 'zod/mini';
import { booleanFromEnv, port, text, wholeNumber } from './env-types.js';

// The HTTP server's own settings (its connection limits are in limits.ts). Spread into the
// one schema.

/** Environment variables of the HTTP server. */
export const serverEnvironment = {
  PORT: z._default(port, 8787),
  HOST: z._default(text(), '127.0.0.1'),
  PUBLIC_URL: z.optional(z.url({ protocol: /^https?$/ })),
  RATE_LIMIT_PER_MINUTE: z._default(wholeNumber(1, 100_000), 600),
  RATE_LIMIT_BURST: z._default(wholeNumber(1, 100_000), 120),
  /**
   * Failed authentications (a wrong or revoked API key, owner or source token, a dead session)
   * one client address may make per minute, all at once or spread out; beyond it 429.
   */
  AUTH_FAILURES_PER_MINUTE: z._default(wholeNumber(1, 100_000), 20),
  TRUST_PROXY: z._default(booleanFromEnv, false),
  /** The built dashboard (default: apps/dashboard/dist of this install). */
  DASHBOARD_DIR: z.optional(text()),
  /** The built guide served at `/guide` (default: docs/.vitepress/dist of this install). */
  GUIDE_DIR: z.optional(text()),
  /** Serve Prometheus metrics at `/metrics` (off by default: it reveals request volumes). */
  METRICS_ENABLED: z._default(booleanFromEnv, false),
  /** When set, `/metrics` wants `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.optional(
    z.string().check(z.minLength(16, 'METRICS_TOKEN must be at least 16 characters')),
  ),
};

type ServerEnvironment = z.output<z.ZodMiniObject<typeof serverEnvironment>>;

/**
 * The parsed server settings.
 *
 * @example
 * const { port, publicUrl } = serverConfig(env);
 */
export function serverConfig(env: ServerEnvironment) {
  return {
    port: env.PORT,
    host: env.HOST,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    rateLimit: { perMinute: env.RATE_LIMIT_PER_MINUTE, burst: env.RATE_LIMIT_BURST },
    authFailuresPerMinute: env.AUTH_FAILURES_PER_MINUTE,
    trustProxy: env.TRUST_PROXY,
    dashboardDir: env.DASHBOARD_DIR ? resolve(env.DASHBOARD_DIR) : undefined,
    guideDir: env.GUIDE_DIR ? resolve(env.GUIDE_DIR) : undefined,
    metrics: { enabled: env.METRICS_ENABLED, token: env.METRICS_TOKEN },
  };
}
