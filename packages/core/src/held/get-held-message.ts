import { findOtpRequestAgentName, findOwnedHeldMessage } from '@agent-otp/db';
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
  const row = await findOwnedHeldMessage(ctx.database.db, ownerId, id);
  if (!row) return undefined;
  const candidates = row.status === 'pending' ? await loadHeldCandidates(ctx, ownerId, [id]) : undefined;
  let assignedTo: HeldMessageView['assignedTo'] = null;
  if (row.assigned_request_id) {
    const agentName = await findOtpRequestAgentName(ctx.database.db, ownerId, row.assigned_request_id);
    assignedTo = { requestId: row.assigned_request_id, agentName: agentName ?? 'unknown agent' };
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
