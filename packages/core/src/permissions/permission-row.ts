import type { PermissionRequestRecord } from '@agent-otp/db';
import type { JsonObject, PermissionRequest } from '@agent-otp/shared';
import { AppError } from '@agent-otp/shared/stored-values';
import type { Actor } from '../audit/actor.js';
import type { CoreContext } from '../context.js';
import type { RequestEvent } from '../events/event-bus.js';
import { approvalUrl } from '../otp/otp-row.js';
import type { PolicyOutcome } from '../policies/policy-types.js';
import { decisionOf, denialDetails, denialReasonOf } from '../requests/decision-of.js';

/** The scope a request grants (or will grant once approved). */
export function grantedScope(
  row: Pick<PermissionRequestRecord, 'granted_scope' | 'requested_scope'>,
): JsonObject {
  return row.granted_scope ?? row.requested_scope;
}

/** The audit actor for a policy that decided. */
export function policyActor(policy: NonNullable<PolicyOutcome['policy']>): Actor {
  return { type: 'policy', id: policy.id, label: `policy:${policy.name}`, channel: 'policy' };
}

/**
 * A permission request as its agent sees it. `token` is passed only by the one call that
 * minted it; the row itself holds nothing but the hash.
 */
export function toApiPermission(
  ctx: Pick<CoreContext, 'publicUrl'>,
  row: PermissionRequestRecord,
  token?: string,
): PermissionRequest {
  return {
    id: row.id,
    status: row.status,
    action: row.action,
    resource: row.resource,
    scope: grantedScope(row),
    requestedScope: row.requested_scope,
    context: row.context,
    ...(token === undefined ? {} : { token }),
    tokenIssued: row.token_handed_out === 1,
    usesRemaining: row.status === 'approved' ? row.uses_remaining : 0,
    approvalUrl: approvalUrl(ctx, row.id),
    policy: row.policy_id && row.policy_name ? { id: row.policy_id, name: row.policy_name } : null,
    decision: decisionOf(row),
    ...denialReasonOf(row),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

type PermissionEventRow = Pick<PermissionRequestRecord, 'id' | 'owner_id' | 'agent_id' | 'status'>;

/** The bus event that tells waiters about a permission request's new state. */
export function permissionEventOf(
  row: PermissionEventRow,
  type: RequestEvent['type'] = 'status',
): RequestEvent {
  return {
    type,
    kind: 'permission',
    requestId: row.id,
    ownerId: row.owner_id,
    agentId: row.agent_id,
    status: row.status,
  };
}

/** Tells every waiter about a permission request's new state; only after the change committed. */
export function publishPermissionEvent(
  ctx: CoreContext,
  row: PermissionEventRow,
  type: RequestEvent['type'] = 'status',
): void {
  ctx.bus.publish(permissionEventOf(row, type));
}

export function permissionNotFound(id: string): AppError {
  return new AppError('NOT_FOUND', `no permission request ${id}`);
}

/** The error for acting on a permission request whose status no longer allows it. */
export function permissionConflict(
  row: Pick<PermissionRequestRecord, 'id' | 'status' | 'denial_reason' | 'decision' | 'uses_remaining'>,
  action: string,
): AppError {
  // Only the owner's revocation closes an approved request with its uses zeroed (an agent's
  // own cancel keeps them): the agent is told the token is dead, like an expired one.
  if (row.status === 'cancelled' && row.decision === 'approved' && row.uses_remaining === 0)
    return new AppError('TOKEN_REVOKED', `the token of ${row.id} was revoked by its owner`);
  switch (row.status) {
    case 'used':
      return new AppError('TOKEN_USED', `the token of ${row.id} has no uses left`);
    case 'expired':
      return new AppError('OTP_EXPIRED', `permission request ${row.id} has expired`);
    case 'denied':
      return new AppError('OTP_DENIED', `permission request ${row.id} was denied`, denialDetails(row));
    case 'cancelled':
      return new AppError('OTP_CANCELLED', `permission request ${row.id} was cancelled`);
    default:
      return new AppError(
        'INVALID_TRANSITION',
        `cannot ${action} permission request ${row.id} while it is ${row.status}`,
      );
  }
}
