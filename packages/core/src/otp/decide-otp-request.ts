import { withTransaction } from '@agent-otp/db';
import type { OtpRequest } from '@agent-otp/shared';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { publishRequestEvent, toApiOtpRequest } from './otp-row.js';
import { readOtpRequest } from './read-otp-request.js';
import { type RequestScope, statusConflict, transitionRequest } from './transition.js';

/**
 * Records the owner's decision on a pending request; the first decision wins, through
 * whatever channel. Approving releases a code that arrived while the request waited
 * (it becomes `otp_received` in the same statement); denying erases it.
 *
 * @example
 * await decideOtpRequest(ctx, { id, ownerId, outcome: 'approved', actor });
 */
export async function decideOtpRequest(
  ctx: CoreContext,
  options: { id: string; ownerId: string; outcome: 'approved' | 'denied'; actor: Actor },
): Promise<OtpRequest> {
  const scope: RequestScope = { ownerId: options.ownerId };
  await readOtpRequest(ctx, options.id, scope);
  const now = nowIso(ctx);
  const decided = await withTransaction(ctx.database, async (tx) => {
    const decision = {
      decision: options.outcome,
      decided_by: options.actor.label,
      decision_channel: options.actor.channel,
      decided_at: now,
    };
    const updated =
      options.outcome === 'approved'
        ? await transitionRequest(tx, options.id, scope, ['pending_approval'], {
            ...decision,
            status: (eb) =>
              eb
                .case()
                .when('encrypted_payload', 'is', null)
                .then('approved' as const)
                .else('otp_received' as const)
                .end(),
          })
        : await transitionRequest(tx, options.id, scope, ['pending_approval'], {
            ...decision,
            status: 'denied',
            encrypted_payload: null,
            closed_at: now,
          });
    if (!updated) return undefined;
    await recordAuditEvent(ctx, tx, {
      ownerId: updated.owner_id,
      actor: options.actor,
      action: options.outcome === 'approved' ? 'otp.approved' : 'otp.denied',
      targetId: options.id,
      details: options.outcome === 'approved' ? { codeReleased: updated.status === 'otp_received' } : {},
    });
    return updated;
  });
  if (!decided) throw statusConflict(await readOtpRequest(ctx, options.id, scope), 'decide on');
  publishRequestEvent(ctx, decided);
  return toApiOtpRequest(ctx, decided);
}
