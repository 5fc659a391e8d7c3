import { closeHeldMessage, withTransaction } from '@agent-otp/db';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { findOwnerHeldMessage, heldMessageClosed } from './close-held-message.js';
import { publishHeldMessageEvent } from './held-message-events.js';

/**
 * The owner throws a held message away: no request gets it, and every candidate's
 * ciphertext is deleted in the same transaction.
 *
 * @example
 * await discardHeldMessage(ctx, { ownerId, id: 'hld_01J…', actor });
 */
export async function discardHeldMessage(
  ctx: CoreContext,
  options: { ownerId: string; id: string; actor: Actor },
): Promise<{ id: string; status: 'discarded' }> {
  const now = nowIso(ctx);
  const discarded = await withTransaction(ctx.database, async (tx) => {
    const current = await findOwnerHeldMessage(tx, options.ownerId, options.id);
    const closed = await closeHeldMessage(tx, current.id, {
      status: 'discarded',
      closedAt: now,
      closedBy: options.actor.label,
    });
    if (!closed) throw heldMessageClosed(await findOwnerHeldMessage(tx, options.ownerId, options.id));
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'otp.held_message_discarded',
      targetId: options.id,
    });
    return closed;
  });
  publishHeldMessageEvent(ctx, discarded);
  return { id: options.id, status: 'discarded' };
}
