import { insertMailbox, type MailboxRow, withTransaction } from '@agent-otp/db';
import { GmailMailboxSettingsSchema, type Mailbox } from '@agent-otp/shared';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';
import { createCaptureSource } from '../sources/sources.js';
import { mailboxCredentialBinding, mailboxCredentialBox, toApiMailbox } from './mailbox-view.js';

/**
 * Connects a Gmail mailbox its owner consented to in the browser: the refresh token is sealed
 * with the credential key (bound to the new row), and the mailbox acts as its own capture
 * source, like an IMAP mailbox, so its codes reach this owner's requests only.
 *
 * @example
 * const mailbox = await addGmailMailbox(ctx, { ownerId, address: 'me@gmail.com', refreshToken, actor });
 */
export async function addGmailMailbox(
  ctx: CoreContext,
  options: { ownerId: string; address: string; refreshToken: string; actor: Actor },
): Promise<Mailbox> {
  const settings = GmailMailboxSettingsSchema.parse({ address: options.address });
  const box = mailboxCredentialBox(ctx);
  const id = newId('mbx');
  const credential = box.seal(options.refreshToken, mailboxCredentialBinding(id));
  const name = `Gmail ${settings.address}`;
  const { source } = await createCaptureSource(ctx, {
    ownerId: options.ownerId,
    kind: 'email',
    name: `mailbox ${name} (${id})`,
    actor: options.actor,
  });
  const now = nowIso(ctx);
  const row: MailboxRow = {
    id,
    owner_id: options.ownerId,
    kind: 'gmail',
    name,
    settings: JSON.stringify(settings),
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
      details: { kind: 'gmail', name, sourceId: source.id },
    });
  });
  return toApiMailbox(row);
}
