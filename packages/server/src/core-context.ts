import type { Config } from '@agent-otp/config';
// Not the package root: one-shot CLI commands open a context on every run, and the root
// loads all of core (capture, extraction, webhooks) they do not use.
import {
  type CoreContext,
  type EventBus,
  InProcessEventBus,
  PasswordHashGate,
  type PolicySet,
  systemClock,
} from '@agent-otp/core/context-parts';
import { type AuditKey, type DatabaseHandle, openDatabase } from '@agent-otp/db';
import { PostgresEventBus } from '@agent-otp/events';
import { openAuditKey } from './audit-key.js';
import { lazyCredentialBox } from './credential-key.js';
import type { Logger } from './logger.js';

/**
 * What opening a context logs through: the relay's pino logger, or an object of three no-op
 * methods for a one-shot CLI command, which then need not load pino (issue 17).
 */
export type ContextLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface OpenCoreContextOptions {
  logger: ContextLogger;
  /** An already open database (tests); otherwise opened from config and closed by `close`. */
  database?: DatabaseHandle | undefined;
  /**
   * Hear changes made by other processes: with PostgreSQL, LISTEN/NOTIFY. One-shot CLI
   * commands do not need it; the server and the standalone bot do.
   */
  crossProcessEvents: boolean;
  policies?: PolicySet | undefined;
}

/**
 * Builds the core context every process kind needs (server, CLI command, standalone bot)
 * from the one parsed configuration, so they cannot drift apart.
 *
 * @example
 * const { ctx, close } = await openCoreContext(config, { logger, crossProcessEvents: false });
 */
export async function openCoreContext(
  config: Config,
  options: OpenCoreContextOptions,
): Promise<{ ctx: CoreContext; close(): Promise<void> }> {
  const database =
    options.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      onNotice: (message) => options.logger.warn(message),
      onConnectionError: (error) =>
        options.logger.warn({ err: { message: error.message } }, 'a pooled database connection failed'),
    }));
  let bus: EventBus;
  let auditKey: AuditKey;
  try {
    // Before any event can be appended: a wrong key must stop this process, not fork the chain.
    auditKey = await openAuditKey(config, database, options.logger);
    bus =
      options.crossProcessEvents && database.dialect === 'postgres'
        ? await PostgresEventBus.start(database, options.logger)
        : new InProcessEventBus();
  } catch (error) {
    if (!options.database) await database.close();
    throw error;
  }
  const ctx: CoreContext = {
    database,
    bus,
    clock: systemClock,
    publicUrl: config.publicUrl,
    lookbackSeconds: config.lookbackSeconds,
    extractMinConfidence: config.extractMinConfidence,
    passwordHashGate: new PasswordHashGate(config.passwordHashing),
    openRequestsPerAgent: config.openRequestsPerAgent,
    webhooks: { allowHttp: config.webhooks.allowHttp, allowPrivate: config.webhooks.allowPrivate },
    auditKey,
    mailboxCredentials: lazyCredentialBox(config),
    mailboxAllowPrivate: config.email.mailboxAllowPrivate,
    mailboxFailingNoticeMs: config.email.mailboxFailingNoticeMs,
    ...(options.policies ? { policies: options.policies } : {}),
  };
  return {
    ctx,
    async close() {
      await bus.close();
      if (!options.database) await database.close();
    },
  };
}
