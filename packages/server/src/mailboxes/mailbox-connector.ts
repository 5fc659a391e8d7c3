import { type CoreContext, mailboxCredentialBinding, parseMailboxSettings } from '@agent-otp/core';
import type { MailboxRow } from '@agent-otp/db';
import type { CursorStore, ImapSettings } from '@agent-otp/email';
import type { ImapMailboxSettings } from '@agent-otp/shared';
import type { Logger } from '../logger.js';
import type { GmailMailboxClient } from './gmail-connect.js';
import type { MailboxHealthWriter } from './mailbox-health-writer.js';

/** IDLE is re-issued this often (RFC 2177: servers may end an IDLE after 29 minutes). */
const IDLE_RESTART_SECONDS = 600;

/** One mailbox's running watcher. */
export interface RunningMailbox {
  stop(): Promise<void>;
}

/** The watcher's settings from an owner's IMAP settings and the opened password. */
export function imapWatcherSettings(settings: ImapMailboxSettings, password: string): ImapSettings {
  return {
    host: settings.host,
    port: settings.port,
    user: settings.login,
    password,
    tls: settings.tls === 'implicit',
    // `starttls` must upgrade (a server that stops offering it is refused, not used in clear);
    // `none` never upgrades and is accepted to loopback only (the contract refuses it elsewhere).
    ...(settings.tls === 'implicit' ? {} : { startTls: settings.tls === 'starttls' }),
    mailbox: settings.folder,
    idleRestartSeconds: IDLE_RESTART_SECONDS,
  };
}

/** Cursors kept per mailbox, so two mailboxes on one account (two owners) never share a read position. */
function mailboxCursors(inner: CursorStore, mailboxId: string): CursorStore {
  return {
    load: (account) => inner.load(`${mailboxId} ${account}`),
    save: (account, cursor) => inner.save(`${mailboxId} ${account}`, cursor),
  };
}

/**
 * Starts the watcher of one owner's mailbox as that mailbox's own capture source, so what it
 * captures can serve only its owner's requests. The mail packages load here, on the first
 * mailbox, never at start-up of a relay without one. Throws `SecretBoxError` when the
 * credential does not open under this relay's key.
 *
 * @example
 * const running = await startMailboxConnector({ ctx, row, logger, lookbackSeconds: 120, health });
 */
export async function startMailboxConnector(options: {
  ctx: CoreContext;
  row: MailboxRow;
  logger: Logger;
  lookbackSeconds: number;
  health: MailboxHealthWriter;
  /** The operator's Google OAuth client, which Gmail mailboxes need (GMAIL_CLIENT_ID / GMAIL_CLIENT_SECRET). */
  gmail?: GmailMailboxClient | undefined;
}): Promise<RunningMailbox> {
  const { ctx, row, health } = options;
  if (row.credential === null)
    throw new Error(`mailbox ${row.id} has no connector this relay can run (${row.kind})`);
  if (!ctx.mailboxCredentials) throw new Error('no credential key: mailbox passwords cannot be opened');
  // The IMAP password, or a Gmail mailbox's refresh token.
  const password = ctx.mailboxCredentials.open(row.credential, mailboxCredentialBinding(row.id));
  if (row.kind === 'gmail') return startGmailMailbox({ ...options, refreshToken: password });
  const settings = parseMailboxSettings(row) as ImapMailboxSettings;
  const { ImapWatcher, databaseCursorStore, inProcessRelay, resolvePublicMailboxAddress } = await import(
    '@agent-otp/email'
  );
  const watcher = new ImapWatcher({
    settings: imapWatcherSettings(settings, password),
    relay: inProcessRelay(ctx, {
      sourceId: row.source_id,
      ownerId: row.owner_id,
      kind: 'email',
      name: row.name,
    }),
    cursors: mailboxCursors(databaseCursorStore(ctx, 'imap'), row.id),
    lookbackSeconds: options.lookbackSeconds,
    logger: options.logger.child({ component: 'mailbox', mailboxId: row.id }),
    onStatus: (status) => health.imapStatus(status),
    onOutcome: () => health.messageSeen(),
    // An owner's host is resolved and checked before every connection (MAILBOX_ALLOW_PRIVATE):
    // a refusal reports PRIVATE_ADDRESS, which the health writer counts as failing at once.
    resolveAddress: ctx.mailboxAllowPrivate ? undefined : resolvePublicMailboxAddress,
  });
  watcher.start();
  return { stop: () => watcher.stop() };
}

/**
 * A Gmail mailbox connected from the dashboard: its sealed refresh token, the operator's OAuth
 * client, the Gmail API polled like the env-configured Gmail connector. Without the client
 * (the operator removed GMAIL_CLIENT_ID) it cannot run, and its health says why.
 */
async function startGmailMailbox(options: {
  ctx: CoreContext;
  row: MailboxRow;
  refreshToken: string;
  logger: Logger;
  lookbackSeconds: number;
  health: MailboxHealthWriter;
  gmail?: GmailMailboxClient | undefined;
}): Promise<RunningMailbox> {
  const { ctx, row, health, gmail } = options;
  if (!gmail) {
    health.gmailStatus({
      state: 'failing',
      error:
        'this relay has no Google OAuth client configured (GMAIL_CLIENT_ID and GMAIL_CLIENT_SECRET): ask its operator',
      permanent: true,
      retryInMs: 0,
    });
    return { stop: async () => {} };
  }
  const { GmailApi, GmailWatcher, GoogleAccessTokens, databaseCursorStore, inProcessRelay } = await import(
    '@agent-otp/email'
  );
  const watcher = new GmailWatcher({
    api: new GmailApi(gmail.apiRoot, new GoogleAccessTokens(gmail, options.refreshToken)),
    relay: inProcessRelay(ctx, {
      sourceId: row.source_id,
      ownerId: row.owner_id,
      kind: 'email',
      name: row.name,
    }),
    cursors: mailboxCursors(databaseCursorStore(ctx, 'gmail'), row.id),
    lookbackSeconds: options.lookbackSeconds,
    pollSeconds: gmail.pollSeconds,
    logger: options.logger.child({ component: 'mailbox', mailboxId: row.id }),
    onStatus: (status) => health.gmailStatus(status),
    onOutcome: () => health.messageSeen(),
  });
  watcher.start();
  return { stop: () => watcher.stop() };
}
