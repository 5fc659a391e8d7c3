import type { HeldCandidate, HeldMessage, OtpStatus } from '@agent-otp/shared';
import { type CoreContext, nowIso } from '../context.js';
import { describeSenderPattern } from '../matching/sender-specificity.js';

/** More than this many waiting messages means something is wrong upstream; the oldest show first. */
const LIST_LIMIT = 200;

/**
 * The owner's held messages still waiting to be assigned, oldest first, each with its
 * candidate requests (agent, reason, sender pattern or "any sender"). Never a code: the
 * relay cannot read one.
 *
 * @example
 * const held = await listHeldMessages(ctx, ownerId);
 */
export async function listHeldMessages(ctx: CoreContext, ownerId: string): Promise<HeldMessage[]> {
  const held = await ctx.database.db
    .selectFrom('held_messages')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('status', '=', 'pending')
    .where('expires_at', '>', nowIso(ctx))
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(LIST_LIMIT)
    .execute();
  if (held.length === 0) return [];
  const byMessage = await loadHeldCandidates(
    ctx,
    ownerId,
    held.map((h) => h.id),
  );
  return held.map((h) => ({
    id: h.id,
    source: h.source_kind,
    sender: h.sender,
    receivedAt: h.received_at,
    createdAt: h.created_at,
    expiresAt: h.expires_at,
    candidates: byMessage.get(h.id) ?? [],
  }));
}

/**
 * The candidate requests of some held messages (only pending ones still have candidates), oldest
 * request first, keyed by held message.
 *
 * @example
 * const byMessage = await loadHeldCandidates(ctx, ownerId, ['hld_01J…']);
 */
export async function loadHeldCandidates(
  ctx: CoreContext,
  ownerId: string,
  heldIds: readonly string[],
): Promise<Map<string, HeldCandidate[]>> {
  const byMessage = new Map<string, HeldCandidate[]>();
  if (heldIds.length === 0) return byMessage;
  const candidates = await ctx.database.db
    .selectFrom('held_message_candidates as c')
    .innerJoin('otp_requests as r', 'r.id', 'c.request_id')
    .innerJoin('agents as a', 'a.id', 'r.agent_id')
    .select([
      'c.held_message_id',
      'r.id as request_id',
      'r.reason',
      'r.status',
      'r.sender_pattern',
      'r.expires_at',
      'r.created_at',
      'a.id as agent_id',
      'a.name as agent_name',
    ])
    .where('c.held_message_id', 'in', heldIds)
    .where('r.owner_id', '=', ownerId)
    .orderBy('r.created_at', 'asc')
    .execute();
  for (const c of candidates) {
    const list = byMessage.get(c.held_message_id) ?? [];
    list.push({
      requestId: c.request_id,
      agent: { id: c.agent_id, name: c.agent_name },
      reason: c.reason,
      status: c.status as OtpStatus,
      senderPattern: c.sender_pattern,
      senderLabel: describeSenderPattern(c.sender_pattern),
      expiresAt: c.expires_at,
    });
    byMessage.set(c.held_message_id, list);
  }
  return byMessage;
}
