import { resolve } from 'node:path';
import { z } from 'zod';
import { checkEmailEnvironment, emailConfig, emailEnvironment } from './email-config.js';
import { checkLimitsEnvironment, limitsConfig, limitsEnvironment } from './limits-config.js';
import { checkTelegramEnvironment, telegramEnvironment } from './telegram-config.js';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

// 0 asks the OS for a free port (tests, benchmarks).
const port = z.coerce.number().int().min(0).max(65535);

/**
 * Every setting, read from the environment once at start-up. A bad value stops start-up
 * with a message naming the variable. Nothing else in the code base reads `process.env`.
 */
export const ConfigSchema = z
  .object({
    PORT: port.default(8787),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
    RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(100_000).default(120),
    LOOKBACK_SECONDS: z.coerce.number().int().min(0).max(3600).default(120),
    /** Open requests of each kind (OTP, permission) one agent may hold; one more is 429. */
    OPEN_REQUESTS_PER_AGENT: z.coerce.number().int().min(1).max(10_000).default(100),
    SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
    TRUST_PROXY: booleanFromEnv.default(false),
    TELEGRAM_BOT_TOKEN: z.string().min(1).optional(),
    TELEGRAM_ADMIN_ID: z.coerce.number().int().positive().optional(),
    TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
    TELEGRAM_WEBHOOK_URL: z.url().optional(),
    POLICY_FILE: z.string().min(1).optional(),
    /** Keys the audit chain; default: DATA_DIR/audit.key, created 0600 on first start. */
    AUDIT_KEY: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
    AUDIT_KEY_FILE: z.string().min(1).optional(),
    /** The built dashboard (default: apps/dashboard/dist of this install). */
    DASHBOARD_DIR: z.string().min(1).optional(),
    ...emailEnvironment,
    ...telegramEnvironment,
    ...limitsEnvironment,
  })
  .superRefine(checkEmailEnvironment)
  .superRefine(checkLimitsEnvironment)
  .superRefine((env, issue) => {
    if (env.AUDIT_KEY && env.AUDIT_KEY_FILE)
      issue.addIssue({
        code: 'custom',
        path: ['AUDIT_KEY_FILE'],
        message: 'set AUDIT_KEY or AUDIT_KEY_FILE, not both',
      });
  })
  .superRefine(checkTelegramEnvironment)
  .transform((env) => ({
    port: env.PORT,
    host: env.HOST,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    dataDir: resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    logLevel: env.LOG_LEVEL,
    rateLimit: { perMinute: env.RATE_LIMIT_PER_MINUTE, burst: env.RATE_LIMIT_BURST },
    lookbackSeconds: env.LOOKBACK_SECONDS,
    openRequestsPerAgent: env.OPEN_REQUESTS_PER_AGENT,
    sweepIntervalMs: env.SWEEP_INTERVAL_MS,
    trustProxy: env.TRUST_PROXY,
    telegram: {
      botToken: env.TELEGRAM_BOT_TOKEN,
      adminId: env.TELEGRAM_ADMIN_ID,
      apiRoot: env.TELEGRAM_API_ROOT,
      webhookUrl: env.TELEGRAM_WEBHOOK_URL,
      webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
    },
    policyFile: env.POLICY_FILE,
    audit: { key: env.AUDIT_KEY, keyFile: env.AUDIT_KEY_FILE ? resolve(env.AUDIT_KEY_FILE) : undefined },
    dashboardDir: env.DASHBOARD_DIR ? resolve(env.DASHBOARD_DIR) : undefined,
    email: emailConfig(env),
    ...limitsConfig(env),
  }));

export type Config = z.infer<typeof ConfigSchema>;

/** A configuration problem, naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses the environment into a {@link Config}, or throws a {@link ConfigError} that
 * names every bad variable.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "unset", as in most shells' `FOO= agent-otp serve`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = ConfigSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}
