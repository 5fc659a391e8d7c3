import { closeHeldMessage, selectOverdueHeldMessageIds, withTransaction } from '@agent-otp/db';
import { SYSTEM_ACTOR } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { yieldToEventLoop } from '../yield-to-event-loop.js';
import { publishHeldMessageEvent } from './held-message-events.js';

/**
 * Expires one held message and erases its ciphertexts, if it is still pending. Returns
 * whether this call expired it.
 *
 * @example
 * await expireHeldMessage(ctx, 'hld_01J…');
 */
export async function expireHeldMessage(ctx: CoreContext, id: string): Promise<boolean> {
  const now = nowIso(ctx);
  const expired = await withTransaction(ctx.database, async (tx) => {
    const closed = await closeHeldMessage(tx, id, { status: 'expired', closedAt: now, closedBy: null });
    if (!closed) return undefined;
    await recordAuditEvent(ctx, tx, {
      ownerId: closed.owner_id,
      actor: SYSTEM_ACTOR,
      action: 'otp.held_message_expired',
      targetId: id,
    });
    return closed;
  });
  if (expired) publishHeldMessageEvent(ctx, expired);
  return expired !== undefined;
}

/**
 * Expires every overdue held message (in batches) and erases its ciphertexts: a held message
 * lives no longer than the earliest of its candidate requests. Safe on every instance at once.
 *
 * @example
 * await expireOverdueHeldMessages(ctx);
 */
export async function expireOverdueHeldMessages(ctx: CoreContext, batchSize = 200): Promise<number> {
  let total = 0;
  for (;;) {
    const overdue = await selectOverdueHeldMessageIds(ctx.database.db, nowIso(ctx), batchSize);
    for (const id of overdue) {
      if (await expireHeldMessage(ctx, id)) total++;
      // A backlog (after downtime) must not hold every other request until it is swept.
      await yieldToEventLoop();
    }
    if (overdue.length < batchSize) return total;
  }
}
