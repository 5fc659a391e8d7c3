import { selectHeldCandidateRequests, selectOwnerPendingHeldMessages } from '@agent-otp/db';
import type { HeldCandidate, HeldMessage } from '@agent-otp/shared';
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
  const held = await selectOwnerPendingHeldMessages(ctx.database.db, ownerId, nowIso(ctx), LIST_LIMIT);
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
  const candidates = await selectHeldCandidateRequests(ctx.database.db, ownerId, heldIds);
  for (const c of candidates) {
    const list = byMessage.get(c.held_message_id) ?? [];
    list.push({
      requestId: c.request_id,
      agent: { id: c.agent_id, name: c.agent_name },
      reason: c.reason,
      status: c.status,
      senderPattern: c.sender_pattern,
      senderLabel: describeSenderPattern(c.sender_pattern),
      expiresAt: c.expires_at,
    });
    byMessage.set(c.held_message_id, list);
  }
  return byMessage;
}
