import { type CoreContext, ensureBuiltInEmailSource, ensureDefaultOwner } from '@agent-otp/core';
import type { MailLogger } from './capture/mail-types.js';
import { type GmailConfigInput, type ImapConfigInput, imapSettingsFromConfig } from './connector-config.js';
import { readGmailToken } from './gmail/gmail-token-file.js';
import { inProcessRelay } from './relay/in-process-relay.js';
import type { RelayPort } from './relay/relay-port.js';
import { type RunningConnectors, type StartConnectorsOptions, startConnectors } from './start-connectors.js';
import { databaseCursorStore } from './state/database-cursor-store.js';

export interface BuiltInConnectorOptions {
  imap: ImapConfigInput | undefined;
  gmail: GmailConfigInput;
  dataDir: string;
  lookbackSeconds: number;
  logger: MailLogger;
  /** Test and benchmark hooks. */
  hooks?: Pick<StartConnectorsOptions, 'onOutcome' | 'onImapStatus' | 'onGmailStatus'>;
}

const SOURCE_NAMES = { imap: 'built-in IMAP connector', gmail: 'built-in Gmail connector' } as const;

/**
 * The mailbox connectors inside `agent-otp serve`: they serve the default owner's open email
 * requests by calling core directly, each as an internal capture source so audit rows name
 * it, and keep their read position in the database. Returns undefined when nothing is
 * configured. Throws (naming the variable) for a setting that cannot be used.
 *
 * @example
 * const connectors = await startBuiltInConnectors(ctx, { imap: config.email.imap, gmail: config.email.gmail,
 *   dataDir: config.dataDir, lookbackSeconds: config.lookbackSeconds, logger });
 */
export async function startBuiltInConnectors(
  ctx: CoreContext,
  options: BuiltInConnectorOptions,
): Promise<RunningConnectors | undefined> {
  const imap = options.imap ? imapSettingsFromConfig(options.imap) : undefined;
  const { clientId, clientSecret } = options.gmail;
  let gmail: StartConnectorsOptions['gmail'];
  if (clientId && clientSecret) {
    const refreshToken = options.gmail.refreshToken ?? (await readGmailToken(options.dataDir, clientId));
    if (refreshToken) gmail = { ...options.gmail, clientId, clientSecret, refreshToken };
    else
      options.logger.warn(
        {},
        'GMAIL_CLIENT_ID is set but no refresh token is stored: run `agent-otp email:gmail-auth` first',
      );
  }
  if (!imap && !gmail) return undefined;

  const owner = await ensureDefaultOwner(ctx);
  const relays: Partial<Record<'imap' | 'gmail', RelayPort>> = {};
  for (const kind of ['imap', 'gmail'] as const) {
    if (kind === 'imap' ? imap : gmail)
      relays[kind] = inProcessRelay(ctx, await ensureBuiltInEmailSource(ctx, owner.id, SOURCE_NAMES[kind]));
  }
  options.logger.info(
    { imap: imap !== undefined, gmail: gmail !== undefined },
    'mailbox connector started for the default owner',
  );
  return startConnectors({
    imap,
    gmail,
    relayFor: (kind) => {
      const relay = relays[kind];
      if (!relay) throw new Error(`no relay for the ${kind} connector`);
      return relay;
    },
    cursorsFor: (kind) => databaseCursorStore(ctx, kind),
    lookbackSeconds: options.lookbackSeconds,
    logger: options.logger,
    ...options.hooks,
  });
}
