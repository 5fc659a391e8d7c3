import {
  expireOverdueHeldMessages,
  expireOverduePermissions,
  expireOverdueRequests,
  loadPolicyFile,
} from '@agent-otp/core';
import type { DatabaseHandle } from '@agent-otp/db';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import { openCoreContext } from './core-context.js';
import { defaultDashboardDir } from './dashboard-dir.js';
import type { ServerServices } from './env.js';
import { createLogger, type Logger } from './logger.js';
import { startConfiguredMailConnectors } from './mail-connectors.js';
import { HoldCounter } from './middleware/hold-limits.js';
import { RateLimiter } from './middleware/rate-limit.js';
import { startConfiguredTelegramBot } from './telegram-bot.js';

export interface RunningServices extends ServerServices {
  config: Config;
  /** Stops background work and closes the database. */
  close(): Promise<void>;
  /** Signals long-polls and streams to finish (first step of a graceful shutdown). */
  beginShutdown(): void;
}

export interface CreateServicesOptions {
  logDestination?: DestinationStream;
  /** An already open database (tests); otherwise opened from config. */
  database?: DatabaseHandle;
  /** Run the expiry sweeper (default true). */
  sweeper?: boolean;
  /** How often the Telegram bot catches up on changes made by other processes (default 30 s). */
  telegramReconcileMs?: number;
  /** Test and benchmark hooks of the built-in mailbox connector. */
  mailHooks?: Parameters<typeof startConfiguredMailConnectors>[3];
}

/**
 * The composition root: opens the database, picks the event bus (in-process for SQLite,
 * LISTEN/NOTIFY for PostgreSQL), starts the expiry sweeper, and builds the core context.
 *
 * @example
 * const services = await createServices(loadConfig(process.env));
 */
export async function createServices(
  config: Config,
  options: CreateServicesOptions = {},
): Promise<RunningServices> {
  const logger: Logger = createLogger(config.logLevel, options.logDestination);
  // Before anything is opened: an invalid POLICY_FILE stops start-up with its line number.
  const policies = await loadPolicyFile(config.policyFile);
  const { ctx, close: closeCore } = await openCoreContext(config, {
    logger,
    database: options.database,
    crossProcessEvents: true,
    policies,
  });
  if (policies.file)
    logger.info({ file: policies.file, policies: policies.policies.length }, 'policies loaded');
  const shutdown = new AbortController();

  let sweeping = false;
  let sweepFailing = false;
  const sweep = async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      const expired =
        (await expireOverdueRequests(ctx)) +
        (await expireOverduePermissions(ctx)) +
        (await expireOverdueHeldMessages(ctx));
      if (expired > 0) logger.info({ expired }, 'expired overdue requests');
      if (sweepFailing) logger.info('expiry sweep working again');
      sweepFailing = false;
    } catch (error) {
      // Runs every second: while the database is down, say so once, not once a second.
      if (!sweepFailing)
        logger.error({ err: { message: (error as Error).message } }, 'expiry sweep failed; retrying');
      sweepFailing = true;
    } finally {
      sweeping = false;
    }
  };
  const mail = await startConfiguredMailConnectors(config, ctx, logger, options.mailHooks).catch(
    async (error: unknown) => {
      await closeCore();
      throw error;
    },
  );
  const sweeper = options.sweeper === false ? undefined : setInterval(sweep, config.sweepIntervalMs);
  sweeper?.unref();
  const telegram = startConfiguredTelegramBot(config, ctx, logger, {
    reconcileIntervalMs: options.telegramReconcileMs,
  });

  return {
    config,
    ctx,
    logger,
    rateLimiter: new RateLimiter(config.rateLimit),
    holds: new HoldCounter(config.connections.maxWaitsPerCredential),
    shutdownSignal: shutdown.signal,
    web: { dashboardDir: config.dashboardDir ?? defaultDashboardDir(), trustProxy: config.trustProxy },
    telegram,
    beginShutdown: () => shutdown.abort(),
    async close() {
      shutdown.abort();
      if (sweeper) clearInterval(sweeper);
      await telegram?.stop();
      await mail?.stop();
      await closeCore();
    },
  };
}
