import { resolve } from 'node:path';
import { z } from 'zod';

// The settings every process that opens the database needs (server, CLI, standalone bot):
// where the data is, how the domain behaves, and the audit key. Spread into the one schema.

/** Environment variables of the core domain and its storage. */
export const coreEnvironment = {
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Unset: readable lines on a terminal, JSON lines otherwise (a file, a pipe, a log collector). */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  LOOKBACK_SECONDS: z.coerce.number().int().min(0).max(3600).default(120),
  /**
   * A code is delivered only when the extractor is at least this sure (0..1); a matched message
   * below it leaves the request open and the owner is told. The default is the extractor's
   * DEFAULT_DELIVERY_CONFIDENCE (stated here because configuration imports nothing above
   * shared; a test keeps the two equal).
   */
  EXTRACT_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.7),
  /** Open requests of each kind (OTP, permission) one agent may hold; one more is 429. */
  OPEN_REQUESTS_PER_AGENT: z.coerce.number().int().min(1).max(10_000).default(100),
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  POLICY_FILE: z.string().min(1).optional(),
  /** Keys the audit chain; default: DATA_DIR/audit.key, created 0600 on first start. */
  AUDIT_KEY: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  AUDIT_KEY_FILE: z.string().min(1).optional(),
  /**
   * Seals the passwords of mailboxes owners connect (issue 16); default: DATA_DIR/credential.key,
   * created 0600 when first needed. Every instance sharing a database needs the same key.
   */
  CREDENTIAL_KEY: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)')
    .optional(),
  CREDENTIAL_KEY_FILE: z.string().min(1).optional(),
};

type CoreEnvironment = z.output<z.ZodObject<typeof coreEnvironment>>;

/** The audit key and the credential key each come from one place only. */
export function checkCoreEnvironment(env: CoreEnvironment, ctx: z.RefinementCtx): void {
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
