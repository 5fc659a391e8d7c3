import type { OtpRequestRecord, RequestChanges, RequestScope } from '@agent-otp/db';
import type { OtpRequest } from '@agent-otp/shared';
import type { DecisionSafeguards, OwnerDecision } from '../approvals/decisions.js';
import { type CoreContext, nowIso } from '../context.js';
import { stepUpRequired } from '../owners/step-up-required.js';
import { denialAuditDetails } from '../requests/decision-of.js';
import { OTP_REQUESTS } from '../requests/otp-requests.js';
import { readRequest } from '../requests/read-request.js';
import { transition } from '../requests/transition.js';
import { toApiOtpRequest } from './otp-row.js';

/**
 * An approval's status: a code already held is released at once. One module constant, so the
 * update is compiled once (an update's expressions are part of its cached shape).
 */
const APPROVED_STATUS: RequestChanges<'otp_requests'>['status'] = (eb) =>
  eb
    .case()
    .when('encrypted_payload', 'is', null)
    .then('approved' as const)
    .else('otp_received' as const)
    .end();

/**
 * Records the owner's decision on a pending request; the first decision wins, through
 * whatever channel, and an overdue request cannot be approved. Approving releases a code
 * that arrived while the request waited (it becomes `otp_received` in the same statement);
 * denying erases it. A high-risk request is approved only after a passkey step-up the caller
 * checked (`stepUpChecked`); otherwise the approval is rolled back with STEP_UP_REQUIRED.
 *
 * @example
 * await decideOtpRequest(ctx, { id, ownerId, outcome: 'approved', actor });
 */
export async function decideOtpRequest(
  ctx: CoreContext,
  options: OwnerDecision,
  { stepUpChecked = false }: DecisionSafeguards = {},
): Promise<OtpRequest> {
  const scope: RequestScope = { ownerId: options.ownerId };
  // No read first: the conditional update decides, and only a refused one reads the row
  // (not found, not the owner's, overdue and expired on that read, or already decided).
  const now = nowIso(ctx);
  const decision = {
    decision: options.outcome,
    decided_by: options.actor.label,
    decision_channel: options.actor.channel,
    decided_at: now,
  };
  const decided = await transition(ctx, {
    kind: OTP_REQUESTS,
    id: options.id,
    scope,
    from: ['pending_approval'],
    changes:
      options.outcome === 'approved'
        ? {
            ...decision,
            status: APPROVED_STATUS,
          }
        : {
            ...decision,
            status: 'denied',
            denial_reason: options.denialReason ?? null,
            encrypted_payload: null,
            closed_at: now,
          },
    now,
    // Refused in the transaction, from the row it updated: nothing is read before the update.
    ...(options.outcome === 'approved' && !stepUpChecked
      ? {
          check: (updated: OtpRequestRecord) => {
            if (updated.risk?.level === 'high') throw stepUpRequired(ctx, updated.id, options.actor);
          },
        }
      : {}),
    audit: (updated) => ({
      actor: options.actor,
      action: options.outcome,
      details:
        options.outcome === 'approved'
          ? { codeReleased: updated.status === 'otp_received' }
          : denialAuditDetails(updated),
    }),
  });
  if (!decided)
    throw OTP_REQUESTS.conflict(await readRequest(ctx, OTP_REQUESTS, options.id, scope), 'decide on');
  return toApiOtpRequest(ctx, decided);
}
