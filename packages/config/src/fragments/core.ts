import { resolve } from 'node:path';
import * as z from 'zod/mini';
import { numberBetween, text, wholeNumber } from './env-types.js';

// The settings every process that opens the database needs (server, CLI, standalone bot):
// where the data is, how the domain behaves, and the audit key. Spread into the one schema.

/** A secret key given inline: long enough to be one. */
function keyText() {
  return z.string().check(z.minLength(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)'));
}

/** Environment variables of the core domain and its storage. */
export const coreEnvironment = {
  DATA_DIR: z._default(text(), './data'),
  DATABASE_URL: z.optional(
    z.string().check(z.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')),
  ),
  LOG_LEVEL: z._default(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  /** Unset: readable lines on a terminal, JSON lines otherwise (a file, a pipe, a log collector). */
  LOG_FORMAT: z.optional(z.enum(['json', 'pretty'])),
  LOOKBACK_SECONDS: z._default(wholeNumber(0, 3600), 120),
  /**
   * A code is delivered only when the extractor is at least this sure (0..1); a matched message
   * below it leaves the request open and the owner is told. The default is the extractor's
   * DEFAULT_DELIVERY_CONFIDENCE (stated here because configuration imports nothing above
   * shared; a test keeps the two equal).
   */
  EXTRACT_MIN_CONFIDENCE: z._default(numberBetween(0, 1), 0.7),
  /** Open requests of each kind (OTP, permission) one agent may hold; one more is 429. */
  OPEN_REQUESTS_PER_AGENT: z._default(wholeNumber(1, 10_000), 100),
  SWEEP_INTERVAL_MS: z._default(wholeNumber(100, 60_000), 1000),
  POLICY_FILE: z.optional(text()),
  /** Keys the audit chain; default: DATA_DIR/audit.key, created 0600 on first start. */
  AUDIT_KEY: z.optional(keyText()),
  AUDIT_KEY_FILE: z.optional(text()),
  /**
   * Seals the passwords of mailboxes owners connect (issue 16); default: DATA_DIR/credential.key,
   * created 0600 when first needed. Every instance sharing a database needs the same key.
   */
  CREDENTIAL_KEY: z.optional(keyText()),
  CREDENTIAL_KEY_FILE: z.optional(text()),
};

type CoreEnvironment = z.output<z.ZodMiniObject<typeof coreEnvironment>>;

/** The audit key and the credential key each come from one place only. */
export function checkCoreEnvironment(env: CoreEnvironment, ctx: z.core.$RefinementCtx): void {
  if (env.AUDIT_KEY && env.AUDIT_KEY_FILE)
    ctx.addIssue({
      code: 'custom',
      path: ['AUDIT_KEY_FILE'],
      message: 'set AUDIT_KEY or AUDIT_KEY_FILE, not both',
    });
  if (env.CREDENTIAL_KEY && env.CREDENTIAL_KEY_FILE)
    ctx.addIssue({
      code: 'custom',
      path: ['CREDENTIAL_KEY_FILE'],
      message: 'set CREDENTIAL_KEY or CREDENTIAL_KEY_FILE, not both',
    });
}

/**
 * The parsed core settings.
 *
 * @example
 * const { dataDir, databaseUrl } = coreConfig(env);
 */
export function coreConfig(env: CoreEnvironment) {
  return {
    dataDir: resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    lookbackSeconds: env.LOOKBACK_SECONDS,
    extractMinConfidence: env.EXTRACT_MIN_CONFIDENCE,
    openRequestsPerAgent: env.OPEN_REQUESTS_PER_AGENT,
    sweepIntervalMs: env.SWEEP_INTERVAL_MS,
    policyFile: env.POLICY_FILE,
    audit: { key: env.AUDIT_KEY, keyFile: env.AUDIT_KEY_FILE ? resolve(env.AUDIT_KEY_FILE) : undefined },
    credentials: {
      key: env.CREDENTIAL_KEY,
      keyFile: env.CREDENTIAL_KEY_FILE ? resolve(env.CREDENTIAL_KEY_FILE) : undefined,
    },
  };
}
