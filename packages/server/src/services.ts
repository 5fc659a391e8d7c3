import type { Config } from '@agent-otp/config';
import { loadPolicyFile, SmsInbox } from '@agent-otp/core';
import type { DatabaseHandle } from '@agent-otp/db';
import type { DestinationStream } from 'pino';
import { ConnectorStates } from './connector-states.js';
import { openCoreContext } from './core-context.js';
import { defaultDashboardDir, defaultGuideDir } from './dashboard-dir.js';
import type { ServerServices } from './env.js';
import { type BackgroundJobOptions, backgroundJobs } from './jobs/background-jobs.js';
import { createLogger, type Logger } from './logger.js';
import { gmailConnectFromConfig, gmailMailboxClient } from './mailboxes/gmail-connect.js';
import { operatorMailbox } from './mailboxes/operator-mailbox.js';
import { RelayMetrics } from './metrics/relay-metrics.js';
import { HoldCounter } from './middleware/hold-limits.js';
import { RateLimiter } from './middleware/rate-limit.js';

/** Client addresses whose failed authentications are remembered (LRU beyond: bounded memory). */
const AUTH_FAILURE_ADDRESSES = 10_000;

export interface RunningServices extends ServerServices {
  config: Config;
  /** Stops background work and closes the database. */
  close(): Promise<void>;
  /** Signals long-polls and streams to finish (first step of a graceful shutdown). */
  beginShutdown(): void;
}

export interface CreateServicesOptions extends BackgroundJobOptions {
  logDestination?: DestinationStream;
  /** An already open database (tests); otherwise opened from config. */
  database?: DatabaseHandle;
}

/**
 * The composition root: opens the database, picks the event bus (in-process for SQLite,
 * LISTEN/NOTIFY for PostgreSQL), builds the core context, and starts the background jobs
 * (mail connectors, Telegram bot, expiry sweeper) on one runner.
 *
 * @example
 * const services = await createServices(loadConfig(process.env));
 */
export async function createServices(
  config: Config,
  options: CreateServicesOptions = {},
): Promise<RunningServices> {
  const logger: Logger = createLogger(config.logLevel, options.logDestination, config.logFormat);
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

  const connectors = new ConnectorStates();
  const jobs = backgroundJobs(config, ctx, logger, {
    ...options,
    connectorStates: connectors,
    // Gmail mailboxes owners connect from the dashboard run with the operator's OAuth client.
    mailboxSupervisor: { ...options.mailboxSupervisor, gmail: gmailMailboxClient(config.email.gmail) },
  });
  try {
    await jobs.runner.start();
  } catch (error) {
    await closeCore();
    throw error;
  }
  const telegram = jobs.telegram();
  const sms = new SmsInbox(ctx, {
    onSkip: (skip) => logger.warn(skip, 'sms: a request could not take the code; trying the next'),
    onError: (error) =>
      logger.warn({ err: { message: (error as Error).message } }, 'sms: a held message could not be offered'),
  });
  sms.start();

  return {
    config,
    ctx,
    logger,
    rateLimiter: new RateLimiter(config.rateLimit),
    authFailures: new RateLimiter({
      perMinute: config.authFailuresPerMinute,
      burst: config.authFailuresPerMinute,
      maxKeys: AUTH_FAILURE_ADDRESSES,
    }),
    holds: new HoldCounter(config.connections.maxWaitsPerCredential),
    shutdownSignal: shutdown.signal,
    web: {
      dashboardDir: config.dashboardDir ?? defaultDashboardDir(),
      guideDir: config.guideDir ?? defaultGuideDir(),
      trustProxy: config.trustProxy,
    },
    telegram,
    sms,
    connectors,
    mailboxes: jobs.mailboxes,
    operatorMailbox: operatorMailbox(config, ctx, connectors),
    webPush: { publicKey: jobs.vapid.publicKey, allowPrivate: config.webPush.allowPrivate },
    gmailConnect: gmailConnectFromConfig(config.email.gmail, ctx),
    metrics: config.metrics.enabled
      ? { collector: new RelayMetrics(ctx.database, connectors), token: config.metrics.token }
      : undefined,
    beginShutdown: () => shutdown.abort(),
    async close() {
      shutdown.abort();
      sms.stop();
      await jobs.runner.stop();
      await closeCore();
    },
  };
}
