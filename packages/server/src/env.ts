import type {
  AuthenticatedAgent,
  AuthenticatedBrowserSession,
  AuthenticatedSource,
  CoreContext,
  Owner,
  SmsInbox,
} from '@agent-otp/core';
import type { CaptureSourceRow } from '@agent-otp/db';
import type { DecisionChannel } from '@agent-otp/shared';
import type { TelegramBot } from '@agent-otp/telegram';
import type { RequestIdVariables } from 'hono/request-id';
import type { ConnectorStates } from './connector-states.js';
import type { Logger } from './logger.js';
import type { GmailConnect } from './mailboxes/gmail-connect.js';
import type { OperatorMailbox } from './mailboxes/operator-mailbox.js';
import type { RelayMetrics } from './metrics/relay-metrics.js';
import type { HoldCounter } from './middleware/hold-limits.js';
import type { RateLimiter } from './middleware/rate-limit.js';

/** Services the HTTP layer needs, built once by the composition root. */
export interface ServerServices {
  ctx: CoreContext;
  logger: Logger;
  rateLimiter: RateLimiter;
  /** Failed authentications per client address (AUTH_FAILURES_PER_MINUTE); see middleware/auth.ts. */
  authFailures: RateLimiter;
  /** Long-polls and event streams each credential holds open (MAX_WAITS_PER_CREDENTIAL). */
  holds: HoldCounter;
  /** Set while shutting down: new requests get 503, long-polls return early. */
  shutdownSignal: AbortSignal;
  /**
   * The web side: where the built dashboard and the built guide (`/guide`) are, and whether to
   * trust X-Forwarded-For.
   */
  web: { dashboardDir: string; guideDir: string; trustProxy: boolean };
  /** The Telegram approval bot, when TELEGRAM_BOT_TOKEN is set (its webhook route needs it). */
  telegram?: TelegramBot | undefined;
  /** Where verified SMS webhooks hand their messages (capture once, look-back buffer). */
  sms: SmsInbox;
  /** The state of each configured connector (mail, Telegram), for `/readyz` and `/metrics`. */
  connectors: ConnectorStates;
  /** Runs owners' mailboxes; the mailbox routes poke it so a change takes effect at once. */
  mailboxes?: { poke(): void } | undefined;
  /** The operator's IMAP_HOST mailbox, listed read-only for the default owner. */
  operatorMailbox?: OperatorMailbox | undefined;
  /** "Connect Gmail" in the dashboard, when the operator configured a Google OAuth client. */
  gmailConnect?: GmailConnect | undefined;
  /** Web Push: the VAPID public key browsers subscribe with, and whether endpoints may be internal (PUSH_ALLOW_PRIVATE). */
  webPush: { publicKey: string; allowPrivate: boolean };
  /** Prometheus metrics when METRICS_ENABLED is set, and the bearer token `/metrics` wants. */
  metrics?: { collector: RelayMetrics; token: string | undefined } | undefined;
}

export interface AppEnv {
  Variables: RequestIdVariables & {
    agent: AuthenticatedAgent;
    source: AuthenticatedSource;
    owner: Owner;
    /** How the owner reached us: `cli` for `os_…` bearer tokens, `dashboard` for session cookies. */
    ownerChannel: DecisionChannel;
    /** Set when the owner signed in through the dashboard. */
    browserSession?: AuthenticatedBrowserSession;
    /** SMS webhooks: the source whose signature scheme verified this request, and the raw body it signed. */
    smsSource: CaptureSourceRow;
    smsBody: string;
  };
}
