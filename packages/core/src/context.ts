import type { AuditKey, DatabaseHandle, SecretBox } from '@agent-otp/db';
import type { EventBus } from './events/event-bus.js';
import type { PasswordHashGate } from './owners/password-hash-gate.js';
import type { PolicySet } from './policies/policy-types.js';
import type { WebhookAddressPolicy } from './webhooks/webhook-address-policy.js';

/** What time it is; tests and the sweeper share one source. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Open requests of each kind one agent may hold when the configuration does not say. */
export const DEFAULT_OPEN_REQUESTS_PER_AGENT = 100;

/** The services every core function receives, built once by the composition root. */
export interface CoreContext {
  database: DatabaseHandle;
  bus: EventBus;
  clock: Clock;
  /** Base URL of the dashboard/API, for `approvalUrl`. */
  publicUrl: string;
  /** How long before a request's creation a message may have arrived and still serve it. */
  lookbackSeconds: number;
  /** Keys the audit chain and signs its checkpoints; never stored in the database. */
  auditKey: AuditKey;
  /**
   * Seals and opens the passwords of mailboxes owners connect, under the credential key
   * (CREDENTIAL_KEY, not the audit key). Absent: mailboxes cannot be added.
   */
  mailboxCredentials?: SecretBox;
  /**
   * MAILBOX_ALLOW_PRIVATE: owners' mailboxes may be on hosts that are, or resolve to, private,
   * loopback or link-local addresses. Absent or false: refused (their test and their connector).
   */
  mailboxAllowPrivate?: boolean;
  /**
   * MAILBOX_FAILING_NOTICE_MINUTES in ms: a mailbox failing or reconnecting for longer gets a
   * notice to its owner. Default 5 minutes when absent.
   */
  mailboxFailingNoticeMs?: number;
  /**
   * How many open requests (of each kind) one agent may hold; creating one more answers 429.
   * Bounds what one agent can put in front of capture sources and approvers.
   * Default {@link DEFAULT_OPEN_REQUESTS_PER_AGENT}.
   */
  openRequestsPerAgent?: number;
  /** POLICY_FILE, loaded once at start; database policies are read per request. */
  policies?: PolicySet;
  /** Bounds concurrent password hashes (sign-in); a process-wide default when absent. */
  passwordHashGate?: PasswordHashGate;
  /** Which webhook URLs requests may name (WEBHOOK_ALLOW_*); HTTPS to public hosts only when absent. */
  webhooks?: WebhookAddressPolicy;
  /**
   * EXTRACT_MIN_CONFIDENCE: a code is delivered only when the extractor is at least this sure
   * (0..1); below it the request stays open and its owner is told. The extractor's
   * `DEFAULT_DELIVERY_CONFIDENCE` when absent.
   */
  extractMinConfidence?: number;
}

export function nowIso(ctx: Pick<CoreContext, 'clock'>): string {
  return ctx.clock.now().toISOString();
}
