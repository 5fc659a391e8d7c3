import { withTransaction } from '@agent-otp/db';
import type { OtpRequest } from '@agent-otp/shared';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { publishRequestEvent, toApiOtpRequest } from './otp-row.js';
import { readOtpRequest } from './read-otp-request.js';
import { statusConflict, transitionRequest } from './transition.js';

/**
 * Cancels an agent's own open request and erases any ciphertext it holds.
 *
 * @example
 * await cancelOtpRequest(ctx, agent, id);
 */
export async function cancelOtpRequest(
  ctx: CoreContext,
  agent: AuthenticatedAgent,
  id: string,
): Promise<OtpRequest> {
  const scope = { agentId: agent.agentId };
  await readOtpRequest(ctx, id, scope);
  const now = nowIso(ctx);
  const cancelled = await withTransaction(ctx.database, async (tx) => {
    const updated = await transitionRequest(tx, id, scope, ['pending_approval', 'approved', 'otp_received'], {
      status: 'cancelled',
      encrypted_payload: null,
      closed_at: now,
    });
    if (!updated) return undefined;
    await recordAuditEvent(ctx, tx, {
      ownerId: updated.owner_id,
      actor: { type: 'agent', id: agent.agentId, label: agent.agentName, channel: 'api' },
      action: 'otp.cancelled',
      targetId: id,
    });
    return updated;
  });
  if (!cancelled) throw statusConflict(await readOtpRequest(ctx, id, scope), 'cancel');
  publishRequestEvent(ctx, cancelled);
  return toApiOtpRequest(ctx, cancelled);
}
