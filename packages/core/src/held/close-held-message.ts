import { findOwnedHeldMessage, type HeldMessageRow, type Tx } from '@agent-otp/db';
import { AppError } from '@agent-otp/shared';

/**
 * Reads an owner's held message; another owner's is NOT_FOUND, like one that does not exist.
 */
export async function findOwnerHeldMessage(tx: Tx, ownerId: string, id: string): Promise<HeldMessageRow> {
  const row = await findOwnedHeldMessage(tx, ownerId, id);
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
