import { insertMailbox, type MailboxRow, withTransaction } from '@agent-otp/db';
import type { Mailbox } from '@agent-otp/shared';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';
import { createCaptureSource } from '../sources/sources.js';
import { mailboxCredentialBinding, mailboxCredentialBox, toApiMailbox } from './mailbox-view.js';

/**
 * The one way a mailbox (IMAP or Gmail) is stored: its secret sealed with the credential key
 * and bound to the new row before anything is written, its own capture source (so the
 * connector's codes reach this owner's requests only), the row and its `mailbox.added` audit
 * event in one transaction. Supervisors start it at their next look.
 *
 * @example
 * const mailbox = await storeNewMailbox(ctx, { ownerId, actor, kind: 'imap', name, settings, secret: password, auditDetails: { host } });
 */
export async function storeNewMailbox(
  ctx: CoreContext,
  options: {
    ownerId: string;
    actor: Actor;
    kind: MailboxRow['kind'];
    name: string;
    /** The settings as stored (already validated), never holding the secret. */
    settings: object;
    /** The password or refresh token; only its sealed form is stored. */
    secret: string;
    /** What the audit event adds to kind, name and source (never a secret). */
    auditDetails?: Record<string, string>;
  },
): Promise<Mailbox> {
  const id = newId('mbx');
  const credential = mailboxCredentialBox(ctx).seal(options.secret, mailboxCredentialBinding(id));
  const { source } = await createCaptureSource(ctx, {
    ownerId: options.ownerId,
    kind: 'email',
    name: `mailbox ${options.name} (${id})`,
    actor: options.actor,
  });
  const now = nowIso(ctx);
  const row: MailboxRow = {
    id,
    owner_id: options.ownerId,
    kind: options.kind,
    name: options.name,
    settings: JSON.stringify(options.settings),
    credential,
    source_id: source.id,
    created_at: now,
    updated_at: now,
    removed_at: null,
    state: 'connecting',
    state_since: now,
    last_error: null,
    last_message_at: null,
    reconnect_attempts: 0,
    health_updated_at: null,
    lease_holder: null,
    lease_expires_at: null,
  };
  await withTransaction(ctx.database, async (tx) => {
    await insertMailbox(tx, row);
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'mailbox.added',
      targetId: id,
      details: { kind: row.kind, name: row.name, ...options.auditDetails, sourceId: source.id },
    });
  });
  return toApiMailbox(row, ctx.clock.now());
}
