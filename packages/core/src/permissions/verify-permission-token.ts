import type { PermissionRequestRecord } from '@agent-otp/db';
import { withTransaction } from '@agent-otp/db';
import type { VerifyTokenResponse } from '@agent-otp/shared';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';
import { agentActor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { CoreContext } from '../context.js';
import { PERMISSION_REQUESTS } from '../requests/permission-requests.js';
import { readRequest } from '../requests/read-request.js';
import { digestsEqual, hashSecret } from '../secrets.js';
import { grantedScope } from './permission-row.js';

type InvalidReason = NonNullable<VerifyTokenResponse['reason']>;

/** Whether `token` is this request's token (constant-time on the hashes). */
export function tokenMatches(row: Pick<PermissionRequestRecord, 'token_hash'>, token: string): boolean {
  return row.token_hash !== null && digestsEqual(hashSecret(token), row.token_hash);
}

/** Why a token cannot be used right now, or null if it can. */
export function tokenProblem(row: PermissionRequestRecord, token: string): InvalidReason | null {
  if (!tokenMatches(row, token)) return 'invalid_token';
  switch (row.status) {
    case 'approved':
      return row.uses_remaining > 0 ? null : 'used';
    case 'pending_approval':
      return 'not_approved';
    default:
      return row.status;
  }
}

/**
 * Checks a token without spending it: valid or not (and why), uses left, the granted scope
 * and the expiry, for the protected operation to enforce what the relay cannot. Every check
 * is audited. Another agent's request is NOT_FOUND.
 *
 * @example
 * const { valid, scope } = await verifyPermissionToken(ctx, agent, id, token);
 */
export async function verifyPermissionToken(
  ctx: CoreContext,
  agent: AuthenticatedAgent,
  id: string,
  token: string,
): Promise<VerifyTokenResponse> {
  const row = await readRequest(ctx, PERMISSION_REQUESTS, id, { agentId: agent.agentId });
  const problem = tokenProblem(row, token);
  await withTransaction(ctx.database, (tx) =>
    recordAuditEvent(ctx, tx, {
      ownerId: row.owner_id,
      actor: agentActor(agent),
      action: 'permission.verified',
      targetId: id,
      details: problem
        ? { valid: false, reason: problem }
        : { valid: true, usesRemaining: row.uses_remaining },
    }),
  );
  return {
    id,
    valid: problem === null,
    ...(problem ? { reason: problem } : {}),
    status: row.status,
    action: row.action,
    resource: row.resource,
    scope: grantedScope(row),
    usesRemaining: row.status === 'approved' ? row.uses_remaining : 0,
    expiresAt: row.expires_at,
  };
}
