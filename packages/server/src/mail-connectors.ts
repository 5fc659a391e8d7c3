import type { Config } from '@agent-otp/config';
import type { CoreContext } from '@agent-otp/core';
import {
  type BuiltInConnectorOptions,
  type RunningConnectors,
  startBuiltInConnectors,
} from '@agent-otp/email';
import type { Logger } from './logger.js';

/**
 * Starts the mailbox connectors when IMAP_HOST (or GMAIL_CLIENT_ID with a stored refresh
 * token) is configured. They serve the default owner's open email requests in-process. A
 * setting that cannot be used (an unreadable IMAP_CA_FILE, several owners) stops start-up
 * with a message naming it; a mail server outage never does (the connector retries).
 *
 * @example
 * const mail = await startConfiguredMailConnectors(config, ctx, logger);
 * await mail?.stop();
 */
export function startConfiguredMailConnectors(
  config: Config,
  ctx: CoreContext,
  logger: Logger,
  hooks?: BuiltInConnectorOptions['hooks'],
): Promise<RunningConnectors | undefined> {
  return startBuiltInConnectors(ctx, {
    imap: config.email.imap,
    gmail: config.email.gmail,
    dataDir: config.dataDir,
    lookbackSeconds: config.lookbackSeconds,
    logger: logger.child({ component: 'email' }),
    ...(hooks ? { hooks } : {}),
  });
}
