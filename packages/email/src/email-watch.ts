import { join } from 'node:path';
import type { MailLogger } from './capture/mail-types.js';
import { type ImapConfigInput, imapSettingsFromConfig } from './connector-config.js';
import { httpRelay, RelayError } from './relay/http-relay.js';
import {
  type GmailSettings,
  type RunningConnectors,
  type StartConnectorsOptions,
  startConnectors,
} from './start-connectors.js';
import { fileCursorStore } from './state/file-cursor-store.js';

/** The standalone connector's state file in DATA_DIR (0600; accounts keyed by hash). */
export const EMAIL_WATCH_STATE_FILE = 'email-watch-state.json';

export interface EmailWatchOptions {
  /** The relay's base URL. */
  url: string;
  /** An email capture-source token (`cs_…`). */
  token: string;
  imap?: ImapConfigInput | undefined;
  gmail?: GmailSettings | undefined;
  dataDir: string;
  lookbackSeconds: number;
  /** EXTRACT_MIN_CONFIDENCE: codes the extractor is less sure of are reported, not delivered (default: the extractor's). */
  minConfidence?: number | undefined;
  logger: MailLogger;
  hooks?: Pick<StartConnectorsOptions, 'onOutcome' | 'onImapStatus' | 'onGmailStatus'>;
}

/**
 * `agent-otp email:watch`: the connectors running next to the mailbox as a capture source.
 * They fetch the open requests over HTTP, match, extract and encrypt here, and send only the
 * ciphertext. Fails fast when the relay refuses the token or nothing is configured.
 *
 * @example
 * const running = await runEmailWatch({ url, token: 'cs_…', imap: config.email.imap,
 *   dataDir: config.dataDir, lookbackSeconds: 120, logger });
 */
export async function runEmailWatch(options: EmailWatchOptions): Promise<RunningConnectors> {
  if (!options.imap && !options.gmail)
    throw new RelayError(
      'nothing to watch: set IMAP_HOST (and the other IMAP_ settings) or use --gmail',
      true,
    );
  if (!/^cs_[A-Za-z0-9]{43}$/.test(options.token))
    throw new RelayError(
      '--token must be a capture-source token (cs_…); create one with `agent-otp source:create --kind email`',
      true,
    );
  const imap = options.imap ? imapSettingsFromConfig(options.imap) : undefined;
  const relay = httpRelay({ url: options.url, token: options.token, minConfidence: options.minConfidence });
  // One call up front: a wrong URL or a revoked token is reported now, not minutes later.
  await relay.openRequests();
  const cursors = fileCursorStore(join(options.dataDir, EMAIL_WATCH_STATE_FILE));
  options.logger.info(
    { relay: relay.description, imap: imap !== undefined, gmail: options.gmail !== undefined },
    'watching the mailbox',
  );
  return startConnectors({
    imap,
    gmail: options.gmail,
    relayFor: () => relay,
    cursorsFor: () => cursors,
    lookbackSeconds: options.lookbackSeconds,
    logger: options.logger,
    ...options.hooks,
  });
}
