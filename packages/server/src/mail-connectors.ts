import type { Config } from '@agent-otp/config';
import type { CoreContext } from '@agent-otp/core';
import type { BuiltInConnectorOptions, RunningConnectors } from '@agent-otp/email';
import type { ConnectorStates } from './connector-states.js';
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
export async function startConfiguredMailConnectors(
  config: Config,
  ctx: CoreContext,
  logger: Logger,
  hooks?: BuiltInConnectorOptions['hooks'],
  states?: ConnectorStates,
): Promise<RunningConnectors | undefined> {
  // Neither IMAP_HOST nor a Gmail client: nothing to start, and the mail packages (IMAP,
  // MIME parsing) stay unloaded. startBuiltInConnectors makes every finer check itself.
  const { clientId, clientSecret } = config.email.gmail;
  if (!config.email.imap && !(clientId && clientSecret)) return undefined;
  const { startBuiltInConnectors } = await import('@agent-otp/email');
  // The watchers' status callbacks also feed /readyz and /metrics; test hooks still see them.
  const reporting: BuiltInConnectorOptions['hooks'] = states
    ? {
        ...hooks,
        onImapStatus: (status) => {
          states.imapStatus(status);
          hooks?.onImapStatus?.(status);
        },
        onGmailStatus: (status) => {
          states.gmailStatus(status);
          hooks?.onGmailStatus?.(status);
        },
      }
    : hooks;
  const running = await startBuiltInConnectors(ctx, {
    imap: config.email.imap,
    gmail: config.email.gmail,
    dataDir: config.dataDir,
    lookbackSeconds: config.lookbackSeconds,
    logger: logger.child({ component: 'email' }),
    ...(reporting ? { hooks: reporting } : {}),
  });
  if (running?.imap) states?.started('imap');
  if (running?.gmail) states?.started('gmail');
  return running;
}
