import type { MailboxRow, SecretBox } from '@agent-otp/db';
import {
  AppError,
  GmailMailboxSettingsSchema,
  ImapMailboxSettingsSchema,
  type Mailbox,
} from '@agent-otp/shared';
import type { CoreContext } from '../context.js';

/** The binding a mailbox's sealed credential is tied to: it opens on this row only. */
export const mailboxCredentialBinding = (mailboxId: string) => `mailboxes:${mailboxId}`;

/** The credential box, or a clear refusal when the relay was started without one. */
export function mailboxCredentialBox(ctx: Pick<CoreContext, 'mailboxCredentials'>): SecretBox {
  if (!ctx.mailboxCredentials)
    throw new AppError(
      'CONFLICT',
      'this relay has no credential key configured, so it cannot store mailbox passwords',
    );
  return ctx.mailboxCredentials;
}

/** A stored row's settings, parsed at the edge: a row that does not parse is a bug worth a loud error. */
export function parseMailboxSettings(row: Pick<MailboxRow, 'kind' | 'settings'>) {
  const json: unknown = JSON.parse(row.settings);
  return row.kind === 'imap' ? ImapMailboxSettingsSchema.parse(json) : GmailMailboxSettingsSchema.parse(json);
}

/**
 * A mailbox as its owner sees it: never the credential, only whether one is stored.
 * `runningOn` names the lease holder only while its lease lasts: an instance that died
 * keeps its name on the row until another takes over, but it runs nothing.
 *
 * @example
 * const mailbox = toApiMailbox(row, new Date());
 */
export function toApiMailbox(row: MailboxRow, now: Date = new Date()): Mailbox {
  const leaseLive =
    row.lease_holder !== null &&
    row.lease_expires_at !== null &&
    new Date(row.lease_expires_at).getTime() > now.getTime();
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    settings: parseMailboxSettings(row),
    hasCredential: row.credential !== null,
    health: {
      state: row.state,
      stateSince: isoOrNull(row.state_since),
      lastError: row.last_error,
      lastMessageAt: isoOrNull(row.last_message_at),
      reconnectAttempts: row.reconnect_attempts,
      updatedAt: isoOrNull(row.health_updated_at),
      ...(leaseLive && row.lease_holder ? { runningOn: row.lease_holder } : {}),
    },
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

// PostgreSQL hands timestamps back in its own form; the API always speaks ISO 8601 in UTC.
function iso(value: string): string {
  return new Date(value).toISOString();
}
function isoOrNull(value: string | null): string | null {
  return value === null ? null : iso(value);
}
