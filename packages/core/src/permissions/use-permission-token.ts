import { type PermissionRequestRecord, type RequestChanges, withTransaction } from '@agent-otp/db';
import { AppError, type UseTokenResponse } from '@agent-otp/shared';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';
import { type Actor, agentActor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { PERMISSION_REQUESTS } from '../requests/permission-requests.js';
import { readRequest } from '../requests/read-request.js';
import { transition } from '../requests/transition.js';
import { grantedScope, permissionConflict } from './permission-row.js';
import { scopeViolation } from './scope-constraints.js';
import { tokenMatches, tokenProblem } from './verify-permission-token.js';

/**
 * A spend takes one use, and the last use ends the grant. Module constants, so the update is
 * compiled once (its expressions are part of its cached shape).
 */
const ONE_USE_FEWER: RequestChanges<'permission_requests'>['uses_remaining'] = (eb) =>
  eb('uses_remaining', '-', 1);
const STATUS_AFTER_SPEND: RequestChanges<'permission_requests'>['status'] = (eb) =>
  eb
    .case()
    .when('uses_remaining', '<=', 1)
    .then('used' as const)
    .else('approved' as const)
    .end();

async function auditRefusal(
  ctx: CoreContext,
  actor: Actor,
  row: PermissionRequestRecord,
  reason: string,
  actionDetails: Record<string, unknown> | undefined,
): Promise<void> {
  await withTransaction(ctx.database, (tx) =>
    recordAuditEvent(ctx, tx, {
      ownerId: row.owner_id,
      actor,
      action: 'permission.use_refused',
      targetId: row.id,
      details: { reason, actionDetails: actionDetails ?? null },
    }),
  );
}

/**
 * Spends one use of a token. The spend is one transition (token hash, status, uses left
 * and expiry all in its WHERE clause, the decrement in its SET; the last use closes the
 * request), so of any number of racing uses at most the granted number succeed; the rest
 * get TOKEN_USED.
 * `actionDetails` are checked against the granted scope first and recorded in the audit
 * log with the use (or the refusal). A report is checked in full: a rule whose field it does
 * not name fails closed. A use that reports nothing at all (the seed's bare
 * `useToken(id, token)`) is a plain spend, recorded as `scopeChecked: false`: self-reported
 * details cannot bind an agent that lies, so the check exists to catch a wrong report, and
 * the owner sees in the audit log which uses were never described. A scope with
 * `require_details` refuses a bare use too.
 *
 * @example
 * await usePermissionToken(ctx, agent, id, token, { recipient: 'client@example.com', subject: 'Invoice #1' });
 */
export async function usePermissionToken(
  ctx: CoreContext,
  agent: AuthenticatedAgent,
  id: string,
  token: string,
  actionDetails?: Record<string, unknown>,
): Promise<UseTokenResponse> {
  const actor = agentActor(agent);
  const scope = { agentId: agent.agentId };
  const row = await readRequest(ctx, PERMISSION_REQUESTS, id, scope);
  const problem = tokenProblem(row, token);
  if (problem) {
    await auditRefusal(ctx, actor, row, problem, actionDetails);
    if (problem === 'invalid_token') throw new AppError('TOKEN_INVALID', `that is not the token of ${id}`);
    throw permissionConflict(row, 'use the token of');
  }
  const scopeChecked = actionDetails !== undefined;
  const granted = grantedScope(row);
  // A bare use still honours an explicit `require_details` (owners can demand reports with a
  // policy's scopeTemplate); only the field rules wait for a report to check.
  const violation = scopeChecked
    ? scopeViolation(granted, actionDetails)
    : scopeViolation({ require_details: granted.require_details }, {});
  if (violation) {
    await auditRefusal(ctx, actor, row, `scope: ${violation}`, actionDetails);
    throw new AppError('SCOPE_VIOLATION', `outside the granted scope: ${violation}`);
  }
  const now = nowIso(ctx);
  const spent = await transition(ctx, {
    kind: PERMISSION_REQUESTS,
    id,
    scope,
    from: ['approved'],
    changes: {
      uses_remaining: ONE_USE_FEWER,
      status: STATUS_AFTER_SPEND,
      last_used_at: now,
    },
    // The token matched (tokenProblem above), so its hash is set: the spend is bound to it.
    where: { token_hash: row.token_hash, uses_remaining: { above: 0 } },
    now,
    audit: (updated) => ({
      actor,
      action: 'used',
      details: { actionDetails: actionDetails ?? null, scopeChecked, usesRemaining: updated.uses_remaining },
    }),
  });
  if (!spent) {
    const current = await readRequest(ctx, PERMISSION_REQUESTS, id, scope);
    const reason = tokenMatches(current, token)
      ? (tokenProblem(current, token) ?? 'lost a race')
      : 'invalid_token';
    await auditRefusal(ctx, actor, current, reason, actionDetails);
    throw current.status === 'approved' && current.uses_remaining <= 0
      ? new AppError('TOKEN_USED', `the token of ${id} has no uses left`)
      : permissionConflict(current, 'use the token of');
  }
  return { id, success: true, status: spent.status, usesRemaining: spent.uses_remaining, usedAt: now };
}
