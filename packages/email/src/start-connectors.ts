import type { GmailSettings, ImapSettings } from '@agent-otp/shared';
import type { CaptureOutcome } from './capture/mail-capture.js';
import type { MailLogger } from './capture/mail-types.js';
import { GmailApi } from './gmail/gmail-api.js';
import { type GmailStatus, GmailWatcher } from './gmail/gmail-watcher.js';
import { GoogleAccessTokens } from './gmail/google-oauth.js';
import { type ImapStatus, ImapWatcher } from './imap/imap-watcher.js';
import type { RelayPort } from './relay/relay-port.js';
import type { CursorStore } from './state/cursor-store.js';

export type { GmailSettings };

export interface StartConnectorsOptions {
  imap?: ImapSettings | undefined;
  gmail?: GmailSettings | undefined;
  /** One relay port per connector kind (the built-in one acts as a separate source for each). */
  relayFor(kind: 'imap' | 'gmail'): RelayPort;
  cursorsFor(kind: 'imap' | 'gmail'): CursorStore;
  lookbackSeconds: number;
  logger: MailLogger;
  onOutcome?: (outcome: CaptureOutcome) => void;
  onImapStatus?: (status: ImapStatus) => void;
  onGmailStatus?: (status: GmailStatus) => void;
}

export interface RunningConnectors {
  imap: ImapWatcher | undefined;
  gmail: GmailWatcher | undefined;
  stop(): Promise<void>;
}

/**
 * Starts the configured mailbox watchers (IMAP, Gmail or both) against their relay ports.
 *
 * @example
 * const connectors = startConnectors({ imap: settings, relayFor: () => relay,
 *   cursorsFor: () => memoryCursorStore(), lookbackSeconds: 120, logger });
 * await connectors.stop();
 */
export function startConnectors(options: StartConnectorsOptions): RunningConnectors {
  const common = {
    lookbackSeconds: options.lookbackSeconds,
    logger: options.logger,
    ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
  };
  const imap = options.imap
    ? new ImapWatcher({
        ...common,
        settings: options.imap,
        relay: options.relayFor('imap'),
        cursors: options.cursorsFor('imap'),
        ...(options.onImapStatus ? { onStatus: options.onImapStatus } : {}),
      })
    : undefined;
  const gmail = options.gmail
    ? new GmailWatcher({
        ...common,
        api: new GmailApi(
          options.gmail.apiRoot,
          new GoogleAccessTokens(
            {
              clientId: options.gmail.clientId,
              clientSecret: options.gmail.clientSecret,
              tokenUrl: options.gmail.tokenUrl,
            },
            options.gmail.refreshToken,
          ),
        ),
        relay: options.relayFor('gmail'),
        cursors: options.cursorsFor('gmail'),
        pollSeconds: options.gmail.pollSeconds,
        ...(options.onGmailStatus ? { onStatus: options.onGmailStatus } : {}),
      })
    : undefined;
  imap?.start();
  gmail?.start();
  return {
    imap,
    gmail,
    async stop() {
      await Promise.all([imap?.stop(), gmail?.stop()]);
    },
  };
}
