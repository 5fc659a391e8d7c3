import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, loadEnvironmentConfig } from '@agent-otp/config';
import type { Actor, CoreContext } from '@agent-otp/core';
// The narrow entry, not the package root: every database command loads this file, and the
// root brings all of core (capture, extraction, webhooks) with it.
import { ensureDefaultOwner, findOwnerByEmail, type Owner } from '@agent-otp/core/pending-decisions';
import { SQLITE_DATABASE_FILE } from '@agent-otp/db';
// The light entries of the server package: opening the database needs neither the HTTP app
// nor the mail and Telegram packages, and `pending` should start as fast as `node` itself.
import { type ContextLogger, openCoreContext } from '@agent-otp/server/core-context';
import { CliError } from './cli-error.js';

export { CliError };

/** The environment's configuration, parsed on first use. */
let environmentConfig: Config | undefined;

/**
 * The CLI's configuration: the same variables the server reads, parsed once. `overrides`
 * are command-line flags named after variables (`--imap-host` for IMAP_HOST); they win.
 */
export function cliConfig(overrides: Record<string, string | undefined> = {}): Config {
  if (Object.keys(overrides).length > 0) return loadEnvironmentConfig(overrides);
  // A command asks more than once (withCore, then resolveOwner); the environment a process
  // started with does not change, and each parse costs milliseconds of a command's start.
  environmentConfig ??= loadEnvironmentConfig();
  return environmentConfig;
}

/** One-shot commands log nothing (as pino at level silent would), and so need not load pino. */
const SILENT: ContextLogger = { info() {}, warn() {}, error() {} };

/**
 * Opens the database named by DATA_DIR / DATABASE_URL, runs `fn` with a core context, and
 * closes it. Commands that only read or manage agents use this directly.
 */
export async function withCore<T>(
  fn: (ctx: CoreContext, config: Config) => Promise<T>,
  options: { mayCreateDatabase?: boolean } = {},
): Promise<T> {
  const config = cliConfig();
  if (!options.mayCreateDatabase) requireExistingDatabase(config);
  const { ctx, close } = await openCoreContext(config, {
    logger: SILENT,
    crossProcessEvents: false,
  });
  try {
    return await fn(ctx, config);
  } finally {
    await close();
  }
}

/**
 * Only `serve` (and `user:create`, which sets up an install before its first start) may
 * create the SQLite database. A command run from the wrong folder would
 * otherwise make a new empty one under ./data and report "Nothing is waiting". With
 * DATABASE_URL the operator named the database, and the CLI migrates it as `serve` would.
 */
export function requireExistingDatabase(config: Config): void {
  if (config.databaseUrl) return;
  const path = join(config.dataDir, SQLITE_DATABASE_FILE);
  if (existsSync(path)) return;
  throw new CliError(
    `no Agent OTP database at ${path}; run this where \`agent-otp serve\` runs (it creates ./data), or set DATA_DIR to its data folder, or DATABASE_URL for PostgreSQL`,
    'DATABASE_NOT_FOUND',
  );
}

/**
 * The owner a command acts for: `--user EMAIL`, else AGENT_OTP_USER, else the only owner
 * (created on a fresh install).
 */
export async function resolveOwner(ctx: CoreContext, email?: string): Promise<Owner> {
  const chosen = email ?? cliConfig().cli.defaultUser;
  return chosen ? findOwnerByEmail(ctx, chosen) : ensureDefaultOwner(ctx);
}

export function cliActor(owner: Owner): Actor {
  return { type: 'owner', id: owner.id, label: owner.email, channel: 'cli' };
}

/** Prints JSON or human text. */
export function output(json: boolean | undefined, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}
