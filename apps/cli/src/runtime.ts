import { type Config, loadEnvironmentConfig } from '@agent-otp/config';
import {
  type Actor,
  type CoreContext,
  ensureDefaultOwner,
  findOwnerByEmail,
  type Owner,
} from '@agent-otp/core';
import { createLogger, openCoreContext } from '@agent-otp/server';
import { AppError } from '@agent-otp/shared';

/**
 * The CLI's configuration: the same variables the server reads, parsed once. `overrides`
 * are command-line flags named after variables (`--imap-host` for IMAP_HOST); they win.
 */
export function cliConfig(overrides: Record<string, string | undefined> = {}): Config {
  return loadEnvironmentConfig(overrides);
}

/**
 * Opens the database named by DATA_DIR / DATABASE_URL, runs `fn` with a core context, and
 * closes it. Commands that only read or manage agents use this directly.
 */
export async function withCore<T>(fn: (ctx: CoreContext, config: Config) => Promise<T>): Promise<T> {
  const config = cliConfig();
  const { ctx, close } = await openCoreContext(config, {
    logger: createLogger('silent'),
    crossProcessEvents: false,
  });
  try {
    return await fn(ctx, config);
  } finally {
    await close();
  }
}

/** The owner a command acts for: `--user EMAIL`, or the only owner (created on a fresh install). */
export async function resolveOwner(ctx: CoreContext, email?: string): Promise<Owner> {
  return email ? findOwnerByEmail(ctx, email) : ensureDefaultOwner(ctx);
}

export function cliActor(owner: Owner): Actor {
  return { type: 'owner', id: owner.id, label: owner.email, channel: 'cli' };
}

/** Prints JSON or human text. */
export function output(json: boolean | undefined, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** A failure to show the user as one line, without a stack trace. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export function describeError(error: unknown): string {
  if (error instanceof AppError || error instanceof CliError) return error.message;
  if (error instanceof Error && error.name === 'ConfigError') return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
