// Declared in the shared schemas (configuration imports them too); re-exported for the connectors' callers.
export type { GmailSettings, ImapSettings } from '@agent-otp/shared';
export { Backoff, sleep } from './backoff.js';
export { type BuiltInConnectorOptions, startBuiltInConnectors } from './built-in-connectors.js';
export {
  type CaptureOutcome,
  type CaptureResult,
  MailCapture,
  oldestUsefulArrival,
} from './capture/mail-capture.js';
export type { MailHeaders, MailLogger, MailReader, MailRef } from './capture/mail-types.js';
export { silentLogger } from './capture/mail-types.js';
export { parseMail } from './capture/parse-mail.js';
export { watchNewRequests } from './capture/watch-new-requests.js';
export {
  ConnectorConfigError,
  type GmailConfigInput,
  type ImapConfigInput,
  imapSettingsFromConfig,
} from './connector-config.js';
export {
  type ImapTestOptions,
  type ImapTestSettings,
  testImapConnection,
} from './diagnostics/test-connection.js';
export { type EmailWatchOptions, runEmailWatch } from './email-watch.js';
export { GmailApi, GmailApiError, GmailNotFoundError } from './gmail/gmail-api.js';
export {
  GMAIL_READONLY_SCOPE,
  type GmailAuthOptions,
  type GmailAuthResult,
  runGmailAuthFlow,
} from './gmail/gmail-auth-flow.js';
export { type GmailGrant, gmailConsentUrl, pkcePair, redeemGmailCode } from './gmail/gmail-consent.js';
export {
  GMAIL_TOKEN_FILE,
  readGmailToken,
  type StoredGmailToken,
  writeGmailToken,
} from './gmail/gmail-token-file.js';
export { type GmailStatus, GmailWatcher } from './gmail/gmail-watcher.js';
export { GoogleAccessTokens, GoogleAuthError } from './gmail/google-oauth.js';
export { imapAccount, imapFlowOptions } from './imap/imap-settings.js';
export { type ImapStatus, ImapWatcher } from './imap/imap-watcher.js';
export {
  PRIVATE_ADDRESS_CODE,
  PrivateAddressError,
  privateAddressRefusal,
  resolvePublicMailboxAddress,
} from './imap/mailbox-address-guard.js';
export { type HttpRelayOptions, httpRelay, RelayError } from './relay/http-relay.js';
export { inProcessRelay } from './relay/in-process-relay.js';
export type { DeliveryOutcome, RelayPort } from './relay/relay-port.js';
export {
  type RunningConnectors,
  type StartConnectorsOptions,
  startConnectors,
} from './start-connectors.js';
export { type ConnectorCursor, type CursorStore, memoryCursorStore } from './state/cursor-store.js';
export { databaseCursorStore } from './state/database-cursor-store.js';
export { fileCursorStore } from './state/file-cursor-store.js';
