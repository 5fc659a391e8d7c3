import { withTransaction } from '@agent-otp/db';
import type { ConsumeOtpResponse } from '@agent-otp/shared';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { publishRequestEvent } from './otp-row.js';
import { readOtpRequest } from './read-otp-request.js';
import { statusConflict, transitionRequest } from './transition.js';

/**
 * Hands the ciphertext to its agent exactly once. The statement that marks the request
 * `consumed` also clears the ciphertext; of any number of racing consumers only the one
 * whose conditional update wins gets the payload, every other gets OTP_ALREADY_CONSUMED.
 *
 * @example
 * const { encryptedPayload } = await consumeOtp(ctx, agent, id);
 */
export async function consumeOtp(
  ctx: CoreContext,
  agent: AuthenticatedAgent,
  id: string,
): Promise<ConsumeOtpResponse> {
  const scope = { agentId: agent.agentId };
  const current = await readOtpRequest(ctx, id, scope);
  if (current.status !== 'otp_received' || current.encrypted_payload === null)
    throw statusConflict(current, 'consume');
  const payload = current.encrypted_payload;
  const consumedAt = nowIso(ctx);
  const consumed = await withTransaction(ctx.database, async (tx) => {
    const updated = await transitionRequest(tx, id, scope, ['otp_received'], {
      status: 'consumed',
      encrypted_payload: null,
      consumed_at: consumedAt,
      closed_at: consumedAt,
    });
    if (!updated) return undefined;
    await recordAuditEvent(ctx, tx, {
      ownerId: updated.owner_id,
      actor: { type: 'agent', id: agent.agentId, label: agent.agentName, channel: 'api' },
      action: 'otp.consumed',
      targetId: id,
    });
    return updated;
  });
  if (!consumed) throw statusConflict(await readOtpRequest(ctx, id, scope), 'consume');
  publishRequestEvent(ctx, consumed);
  return { id, status: 'consumed', encryptedPayload: payload, consumedAt };
}
