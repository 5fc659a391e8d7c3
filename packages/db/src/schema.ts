import type {
  CaptureSourceKind,
  OtpStatus,
  PermissionStatus,
  PolicyAction,
  PolicyTarget,
  RequestKind,
  RiskLevel,
} from '@agent-otp/shared';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types shared by both dialects. Statuses and other closed lists are the contract's
 * own types, so a status added there reaches the columns without a second list here. Timestamps are ISO 8601 UTC strings on both
 * (PostgreSQL stores `timestamptz`; the pool's type parser hands them back as ISO strings).
 */
export interface UsersTable {
  id: string;
  email: string;
  password_hash: string | null;
  created_at: string;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  kind: 'cli' | 'browser';
  csrf_token_hash: string | null;
  created_at: string;
  expires_at: string;
  last_seen_at: string | null;
  /** The browser's User-Agent at sign-in (cut to a bounded length), so the owner can tell sessions apart. */
  user_agent: string | null;
}

/** An owner's passkey (WebAuthn credential); the private key never leaves the authenticator. */
export interface PasskeysTable {
  id: string;
  owner_id: string;
  /** base64url, as the browser reports it. */
  credential_id: string;
  /** The COSE public key, base64url. */
  public_key: string;
  /** The authenticator's signature counter (a `bigint` on PostgreSQL, read back as a string). */
  sign_count: number | string;
  /** JSON array of transport hints (`internal`, `usb`, `hybrid` …). */
  transports: string;
  name: string;
  backed_up: number;
  created_at: string;
  last_used_at: string | null;
}

/** A WebAuthn challenge the relay handed out: single-use, short-lived, bound to who asked. */
export interface PasskeyChallengesTable {
  id: string;
  challenge_hash: string;
  purpose: 'register' | 'sign_in' | 'step_up';
  owner_id: string | null;
  binding_hash: string;
  request_id: string | null;
  created_at: string;
  expires_at: string;
}

export interface AgentsTable {
  id: string;
  owner_id: string;
  name: string;
  created_at: string;
  revoked_at: string | null;
  /** The webhook signing secret sealed by the secret box (`agents:<id>`); NULL before it had one. */
  webhook_secret_sealed: string | null;
}

export interface ApiKeysTable {
  id: string;
  agent_id: string;
  owner_id: string;
  key_hash: string;
  prefix: string;
  environment: 'live' | 'test';
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface CaptureSourcesTable {
  id: string;
  owner_id: string;
  kind: CaptureSourceKind;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
  /** SMS sources: 'sms-gateway' | 'twilio' | 'telnyx' | 'generic'; null for email. */
  provider: string | null;
  /** The key its signatures are checked with, sealed in the secret box (never plaintext). */
  sealed_signing_secret: string | null;
  /** Telnyx: the account's base64 Ed25519 public key (not secret). */
  telnyx_public_key: string | null;
  messages_received: Generated<number>;
  last_message_at: string | null;
  /** Why the last message was refused or missed; never message content. */
  last_error: string | null;
  last_error_at: string | null;
}

export interface OtpRequestsTable {
  id: string;
  owner_id: string;
  agent_id: string;
  api_key_id: string;
  status: OtpStatus;
  reason: string;
  expected_sender: string | null;
  /** JSON array of capture source kinds. */
  sources: string;
  sender_pattern: string | null;
  /**
   * The literal end of `sender_pattern`, folded, for capture's SQL pre-filter
   * (repositories/sender-suffix.ts); `''` (the default) makes the request a candidate for every sender.
   */
  sender_suffix: Generated<string>;
  content_pattern: string | null;
  public_key: string;
  key_fingerprint: string;
  is_test: number;
  /** Compact JWE; NULL before delivery and after consume, expiry, denial or cancel. */
  encrypted_payload: string | null;
  created_at: string;
  expires_at: string;
  decision: 'approved' | 'denied' | null;
  decided_by: string | null;
  decision_channel: string | null;
  decided_at: string | null;
  /** The owner's words when they denied the request, if they gave any (issue 15); NULL otherwise. */
  denial_reason: string | null;
  otp_received_at: string | null;
  consumed_at: string | null;
  closed_at: string | null;
  /** Where status changes are POSTed, signed (issue 11); NULL: the agent polls. */
  webhook_url: string | null;
  /** JSON RiskAssessment made at creation and never changed (issue 15); NULL on older rows. */
  risk: string | null;
}

export interface PermissionRequestsTable {
  id: string;
  owner_id: string;
  agent_id: string;
  api_key_id: string;
  status: PermissionStatus;
  action: string;
  resource: string;
  /** JSON object: what the agent asked for. */
  requested_scope: string;
  /** JSON object: the scope approval grants (the deciding policy's scopeTemplate, or the requested scope); set at creation. */
  granted_scope: string | null;
  /** JSON object: the agent's context (`reason`, …). */
  context: string;
  ttl_seconds: number;
  /** The policy that decided, if one did (file policies have no row: `file:<name>`). */
  policy_id: string | null;
  policy_name: string | null;
  decision: 'approved' | 'denied' | null;
  decided_by: string | null;
  decision_channel: string | null;
  decided_at: string | null;
  /** The owner's words when they denied the request, if they gave any (issue 15); NULL otherwise. */
  denial_reason: string | null;
  /** SHA-256 hex of the `otp_…` token; NULL until the token is handed out. Never the token. */
  token_hash: string | null;
  /** 1 once the token was handed to the agent; it is never shown again. */
  token_handed_out: number;
  uses_granted: number;
  uses_remaining: number;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  closed_at: string | null;
  /** Where status changes are POSTed, signed (issue 11); NULL: the agent polls. */
  webhook_url: string | null;
  /** JSON RiskAssessment made at creation and never changed (issue 15); NULL on older rows. */
  risk: string | null;
}

export interface PoliciesTable {
  id: string;
  owner_id: string;
  /** NULL: applies to every agent of the owner. */
  agent_id: string | null;
  name: string;
  description: string | null;
  applies_to: PolicyTarget;
  priority: number;
  /** JSON object: dotted path → operator object. */
  conditions: string;
  action: PolicyAction;
  /** JSON object or NULL. */
  scope_template: string | null;
  /** low | elevated | high: the risk this policy gives the requests it matches; NULL: none. */
  risk: RiskLevel | null;
  enabled: number;
  created_at: string;
}

export interface AuditEventsTable {
  id: string;
  /** One hash chain per owner (`usr_…`), or `system`. */
  chain: string;
  seq: number;
  created_at: string;
  actor_type: 'owner' | 'agent' | 'source' | 'system' | 'policy';
  actor_id: string | null;
  channel: string | null;
  action: string;
  target_id: string | null;
  /** Canonical JSON, hashed exactly as stored. */
  details: string;
  prev_hash: string;
  hash: string;
}

/** The latest signed checkpoint of one audit chain: its length and head, HMAC-signed with the audit key. */
export interface AuditCheckpointsTable {
  chain: string;
  /** Rows 1..legacy_length were written before the chain was keyed (plain SHA-256). */
  legacy_length: number;
  length: number;
  head_hash: string;
  updated_at: string;
  signature: string;
}

/** One row (id 1): every chain that has a checkpoint, signed. NULL columns: not sealed with a key yet. */
export interface AuditManifestTable {
  id: number;
  /** Identifies the key that sealed the log (an HMAC of a fixed label; never the key). */
  key_id: string | null;
  /** JSON array of chain names, sorted. */
  chains: string | null;
  updated_at: string | null;
  signature: string | null;
}

/** A one-time first-run setup link's token (hash only); spent when the first owner sets a password. */
export interface SetupTokensTable {
  id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** One password sign-in attempt, for the per-email and per-IP login rate limit. */
export interface LoginAttemptsTable {
  id: string;
  /** Lower-cased as typed, whether or not such an owner exists. */
  email: string;
  ip: string;
  succeeded: number;
  created_at: string;
}

/** A Telegram user who acts for an owner, and the chat where they are notified. */
export interface TelegramLinksTable {
  id: string;
  owner_id: string;
  telegram_user_id: number;
  chat_id: number;
  linked_at: string;
}

/** A one-time deep-link token (`/start <token>`); only its SHA-256 hash is stored. */
export interface TelegramLinkTokensTable {
  token_hash: string;
  owner_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** A message the bot sent about a request (OTP or permission), kept so it can be edited. */
export interface TelegramMessagesTable {
  id: string;
  request_id: string;
  owner_id: string;
  chat_id: number;
  /** NULL while the send is in flight (the row is the claim). */
  message_id: number | null;
  rendered_hash: string | null;
  /** 1 while the message still shows Approve/Deny buttons. */
  has_buttons: number;
  sent_at: string;
  updated_at: string;
}

/** Where the built-in mailbox connector stopped reading one account (JSON cursor). */
export interface EmailConnectorStateTable {
  /** SHA-256 of the account (kind, user, host, mailbox): no address is stored. */
  account_key: string;
  kind: 'imap' | 'gmail';
  cursor: string;
  updated_at: string;
}

/** A message whose best matches were requests of different agents: the owner assigns it. */
export interface HeldMessagesTable {
  id: string;
  owner_id: string;
  /** The capture source that saw the message. */
  source_id: string;
  source_kind: CaptureSourceKind;
  /** The parsed sender address or SMS sender id (what approvers see anyway); never the subject or body. */
  sender: string;
  received_at: string;
  created_at: string;
  /** The earliest expiry among the candidates. */
  expires_at: string;
  status: 'pending' | 'assigned' | 'discarded' | 'expired';
  assigned_request_id: string | null;
  closed_by: string | null;
  closed_at: string | null;
}

/** One candidate of a held message: the code sealed to that request's key. Deleted when the message closes. */
export interface HeldMessageCandidatesTable {
  held_message_id: string;
  request_id: string;
  encrypted_payload: string;
}

/**
 * A message that matched an open request but held no code clear enough to deliver (issue 14).
 * Sender and times only, with the extractor's verdict; never the subject, body or a candidate code.
 */
export interface UnclearMessagesTable {
  /** `unc_…` */
  id: string;
  request_id: string;
  owner_id: string;
  source_kind: CaptureSourceKind;
  /** The parsed sender address or SMS sender id, as the request matched it. */
  sender: string;
  received_at: string;
  outcome: 'no_code' | 'unclear_code';
  /** The best candidate's confidence in hundredths (0..100); NULL when the message had no candidate. */
  confidence_hundredths: number | null;
  created_at: string;
}

/** Where a mailbox's connector stands, as the instance running it last wrote. */
export type MailboxState = 'connecting' | 'idle' | 'reconnecting' | 'failing' | 'stopped';

/**
 * A mailbox connected by its owner (issue 16). `settings` is JSON without any secret; the
 * password or refresh token is `credential`, sealed with the credential key.
 */
export interface MailboxesTable {
  /** `mbx_…` */
  id: string;
  owner_id: string;
  kind: 'imap' | 'gmail';
  name: string;
  /** JSON: IMAP host, port, tls, login, folder, preset; Gmail address. */
  settings: string;
  /** Sealed (purpose `mailbox credential`, binding `mailboxes:<id>`); NULL once removed. */
  credential: string | null;
  /** The capture source the connector acts as. */
  source_id: string;
  created_at: string;
  updated_at: string;
  removed_at: string | null;
  state: MailboxState;
  state_since: string | null;
  /** Words, never a secret. */
  last_error: string | null;
  last_message_at: string | null;
  reconnect_attempts: number;
  health_updated_at: string | null;
  /** The instance running the connector, until `lease_expires_at`. */
  lease_holder: string | null;
  lease_expires_at: string | null;
}

/** One webhook event and its delivery state; the body is the signed JSON, never the code. */
export interface WebhookOutboxTable {
  /** `evt_…`, also the body's `id` and the `x-otp-event-id` header. */
  id: string;
  owner_id: string;
  agent_id: string;
  request_id: string;
  kind: RequestKind;
  /** `<kind>.<status>`. */
  event_type: string;
  status: 'pending' | 'delivered' | 'failed';
  url: string;
  body: string;
  attempts: number;
  next_attempt_at: string;
  /** The instance holding the attempt in flight, until `claimed_until`. */
  claimed_by: string | null;
  claimed_until: string | null;
  delivered_at: string | null;
  last_error: string | null;
  last_http_status: number | null;
  created_at: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  passkeys: PasskeysTable;
  passkey_challenges: PasskeyChallengesTable;
  agents: AgentsTable;
  api_keys: ApiKeysTable;
  capture_sources: CaptureSourcesTable;
  otp_requests: OtpRequestsTable;
  permission_requests: PermissionRequestsTable;
  policies: PoliciesTable;
  audit_events: AuditEventsTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_manifest: AuditManifestTable;
  setup_tokens: SetupTokensTable;
  login_attempts: LoginAttemptsTable;
  telegram_links: TelegramLinksTable;
  telegram_link_tokens: TelegramLinkTokensTable;
  telegram_messages: TelegramMessagesTable;
  email_connector_state: EmailConnectorStateTable;
  held_messages: HeldMessagesTable;
  held_message_candidates: HeldMessageCandidatesTable;
  webhook_outbox: WebhookOutboxTable;
  unclear_messages: UnclearMessagesTable;
  mailboxes: MailboxesTable;
  risk_rule_settings: RiskRuleSettingsTable;
  push_subscriptions: PushSubscriptionsTable;
}

/** A browser that receives Web Push notifications for its owner (issue 15). */
export interface PushSubscriptionsTable {
  id: string;
  owner_id: string;
  /** The push service URL the relay POSTs to (a capability: never logged whole). */
  endpoint: string;
  /** base64url P-256 public key of the browser (65 bytes). */
  p256dh: string;
  /** base64url 16-byte auth secret. */
  auth: string;
  created_at: string;
}

export type PushSubscriptionRow = Selectable<PushSubscriptionsTable>;

/** An owner's setting for one built-in risk rule (issue 15); rules without a row keep their default. */
export interface RiskRuleSettingsTable {
  owner_id: string;
  rule: string;
  level: RiskLevel | 'off';
  updated_at: string;
}

export type UserRow = Selectable<UsersTable>;
export type AgentRow = Selectable<AgentsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type CaptureSourceRow = Selectable<CaptureSourcesTable>;
export type OtpRequestRow = Selectable<OtpRequestsTable>;
export type NewOtpRequestRow = Insertable<OtpRequestsTable>;
export type OtpRequestUpdate = Updateable<OtpRequestsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type PermissionRequestRow = Selectable<PermissionRequestsTable>;
export type PolicyRow = Selectable<PoliciesTable>;
export type SessionRow = Selectable<SessionsTable>;
export type PasskeyRow = Selectable<PasskeysTable>;
export type PasskeyChallengeRow = Selectable<PasskeyChallengesTable>;
export type TelegramLinkRow = Selectable<TelegramLinksTable>;
export type TelegramMessageRow = Selectable<TelegramMessagesTable>;
export type HeldMessageRow = Selectable<HeldMessagesTable>;
export type WebhookOutboxRow = Selectable<WebhookOutboxTable>;
export type UnclearMessageRow = Selectable<UnclearMessagesTable>;
export type MailboxRow = Selectable<MailboxesTable>;
export type { Generated };
