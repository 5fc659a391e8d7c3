import type { Database, OtpRequestRow, Tx } from '@agent-otp/db';
import { AppError, type OtpStatus } from '@agent-otp/shared';
import type { UpdateObject } from 'kysely';

/** Who may move a request: the scope is part of the WHERE clause, never checked afterwards. */
export type RequestScope = { agentId: string } | { ownerId: string } | { any: true };

/**
 * One conditional update: moves request `id` to `set` only if it is still in one of the
 * `from` statuses (and within `scope`). Returns the updated row, or undefined when someone
 * else got there first.
 */
export async function transitionRequest(
  tx: Tx,
  id: string,
  scope: RequestScope,
  from: readonly OtpStatus[],
  set: UpdateObject<Database, 'otp_requests'>,
  options: { requirePayloadAbsent?: boolean } = {},
): Promise<OtpRequestRow | undefined> {
  let query = tx.updateTable('otp_requests').set(set).where('id', '=', id).where('status', 'in', from);
  // A second capture source racing the first must not overwrite a held ciphertext.
  if (options.requirePayloadAbsent) query = query.where('encrypted_payload', 'is', null);
  if ('agentId' in scope) query = query.where('agent_id', '=', scope.agentId);
  if ('ownerId' in scope) query = query.where('owner_id', '=', scope.ownerId);
  return query.returningAll().executeTakeFirst();
}

/** Reads one request within a scope; other tenants' requests are simply not found. */
export async function findScopedRequest(
  tx: Tx,
  id: string,
  scope: RequestScope,
): Promise<OtpRequestRow | undefined> {
  let query = tx.selectFrom('otp_requests').selectAll().where('id', '=', id);
  if ('agentId' in scope) query = query.where('agent_id', '=', scope.agentId);
  if ('ownerId' in scope) query = query.where('owner_id', '=', scope.ownerId);
  return query.executeTakeFirst();
}

export function notFound(id: string): AppError {
  return new AppError('NOT_FOUND', `no OTP request ${id}`);
}

/** The error for acting on a request whose status no longer allows it. */
export function statusConflict(row: Pick<OtpRequestRow, 'id' | 'status'>, action: string): AppError {
  switch (row.status) {
    case 'consumed':
      return new AppError('OTP_ALREADY_CONSUMED', `OTP request ${row.id} was already consumed`);
    case 'expired':
      return new AppError('OTP_EXPIRED', `OTP request ${row.id} has expired`);
    case 'denied':
      return new AppError('OTP_DENIED', `OTP request ${row.id} was denied by its owner`);
    case 'cancelled':
      return new AppError('OTP_CANCELLED', `OTP request ${row.id} was cancelled`);
    default:
      if (action === 'consume')
        return new AppError('OTP_NOT_READY', `OTP request ${row.id} has no code yet (it is ${row.status})`);
      return new AppError(
        'INVALID_TRANSITION',
        `cannot ${action} OTP request ${row.id} while it is ${row.status}`,
      );
  }
}
