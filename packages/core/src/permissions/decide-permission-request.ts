import type { PermissionRequestRecord } from '@agent-otp/db';
import type { DecisionSafeguards, OwnerDecision } from '../approvals/decisions.js';
import type { CoreContext } from '../context.js';
import { stepUpRequired } from '../owners/step-up-required.js';
import { denialAuditDetails } from '../requests/decision-of.js';
import { PERMISSION_REQUESTS } from '../requests/permission-requests.js';
import { readRequest } from '../requests/read-request.js';
import { transition } from '../requests/transition.js';
import { grantedScope } from './permission-row.js';

/**
 * Records the owner's decision on a pending permission request; the first decision wins
 * through any channel, and an overdue request cannot be approved. Approval starts the
 * token's lifetime: it expires `ttl` seconds after the decision, not after the request.
 * A high-risk request is approved only after a passkey step-up the caller checked
 * (`stepUpChecked`); otherwise STEP_UP_REQUIRED.
 *
 * @example
 * await decidePermissionRequest(ctx, { id, ownerId, outcome: 'approved', actor });
 */
export async function decidePermissionRequest(
  ctx: CoreContext,
  options: OwnerDecision,
  { stepUpChecked = false }: DecisionSafeguards = {},
): Promise<PermissionRequestRecord> {
  const scope = { ownerId: options.ownerId };
  const current = await readRequest(ctx, PERMISSION_REQUESTS, options.id, scope);
  if (current.status !== 'pending_approval') throw PERMISSION_REQUESTS.conflict(current, 'decide on');
  // The risk is set at creation and never changes: the row just read says it.
  if (options.outcome === 'approved' && !stepUpChecked && current.risk?.level === 'high')
    throw stepUpRequired(ctx, current.id, options.actor);
  const now = ctx.clock.now();
  const nowText = now.toISOString();
  const decided = await transition(ctx, {
    kind: PERMISSION_REQUESTS,
    id: options.id,
    scope,
    from: ['pending_approval'],
    changes: {
      status: options.outcome,
      decision: options.outcome,
      decided_by: options.actor.label,
      decision_channel: options.actor.channel,
      decided_at: nowText,
      ...(options.outcome === 'approved'
        ? { expires_at: new Date(now.getTime() + current.ttl_seconds * 1000).toISOString() }
        : { denial_reason: options.denialReason ?? null, closed_at: nowText }),
    },
    now: nowText,
    audit: (updated) => ({
      actor: options.actor,
      action: options.outcome,
      details:
        options.outcome === 'approved'
          ? { grantedScope: grantedScope(updated), uses: updated.uses_granted, expiresAt: updated.expires_at }
          : denialAuditDetails(updated),
    }),
  });
  if (!decided)
    throw PERMISSION_REQUESTS.conflict(
      await readRequest(ctx, PERMISSION_REQUESTS, options.id, scope),
      'decide on',
    );
  return decided;
}
