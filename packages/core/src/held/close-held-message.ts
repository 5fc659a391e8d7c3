import type { HeldMessageRow, Tx } from '@agent-otp/db';
import { AppError } from '@agent-otp/shared';

/**
 * Moves a pending held message to a final status and deletes every candidate's ciphertext,
 * inside the caller's transaction. Returns undefined when it was no longer pending (another
 * channel or the sweeper closed it first).
 */
export async function closeHeldMessage(
  tx: Tx,
  id: string,
  set: {
    status: 'assigned' | 'discarded' | 'expired';
    closedAt: string;
    closedBy: string | null;
    requestId?: string;
  },
): Promise<HeldMessageRow | undefined> {
  const closed = await tx
    .updateTable('held_messages')
    .set({
      status: set.status,
      closed_at: set.closedAt,
      closed_by: set.closedBy,
      assigned_request_id: set.requestId ?? null,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  if (closed) await tx.deleteFrom('held_message_candidates').where('held_message_id', '=', id).execute();
  return closed;
}

/**
 * Reads an owner's held message; another owner's is NOT_FOUND, like one that does not exist.
 */
export async function findOwnerHeldMessage(tx: Tx, ownerId: string, id: string): Promise<HeldMessageRow> {
  const row = await tx
    .selectFrom('held_messages')
    .selectAll()
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `no held message ${id}`);
  return row;
}

/** The error for acting on a held message that is no longer waiting. */
export function heldMessageClosed(
  row: Pick<HeldMessageRow, 'id' | 'status' | 'assigned_request_id'>,
): AppError {
  if (row.status === 'expired') return new AppError('OTP_EXPIRED', `held message ${row.id} has expired`);
  if (row.status === 'assigned')
    return new AppError(
      'CONFLICT',
      `held message ${row.id} was already assigned to ${row.assigned_request_id}`,
    );
  return new AppError('CONFLICT', `held message ${row.id} was already ${row.status}`);
}
