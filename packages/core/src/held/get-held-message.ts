import type { HeldMessage } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import { loadHeldCandidates } from './list-held-messages.js';

/** A held message in any state, for channels that keep showing it after it closed (Telegram). */
export interface HeldMessageView extends HeldMessage {
  ownerId: string;
  status: 'pending' | 'assigned' | 'discarded' | 'expired';
  /** Set once assigned: the request and its agent. */
  assignedTo: { requestId: string; agentName: string } | null;
  closedBy: string | null;
  closedAt: string | null;
}

/**
 * One of the owner's held messages, open or closed; another owner's is undefined. Closed
 * messages have no candidates left: their ciphertexts were erased.
 *
 * @example
 * const view = await getHeldMessage(ctx, ownerId, 'hld_01J…');
 */
export async function getHeldMessage(
  ctx: CoreContext,
  ownerId: string,
  id: string,
): Promise<HeldMessageView | undefined> {
  const row = await ctx.database.db
    .selectFrom('held_messages')
    .selectAll()
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  if (!row) return undefined;
  const candidates = row.status === 'pending' ? await loadHeldCandidates(ctx, ownerId, [id]) : undefined;
  let assignedTo: HeldMessageView['assignedTo'] = null;
  if (row.assigned_request_id) {
    const agent = await ctx.database.db
      .selectFrom('otp_requests as r')
      .innerJoin('agents as a', 'a.id', 'r.agent_id')
      .select('a.name')
      .where('r.id', '=', row.assigned_request_id)
      .where('r.owner_id', '=', ownerId)
      .executeTakeFirst();
    assignedTo = { requestId: row.assigned_request_id, agentName: agent?.name ?? 'unknown agent' };
  }
  return {
    id: row.id,
    ownerId,
    source: row.source_kind,
    sender: row.sender,
    receivedAt: row.received_at,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    candidates: candidates?.get(id) ?? [],
    status: row.status,
    assignedTo,
    closedBy: row.closed_by,
    closedAt: row.closed_at,
  };
}
