import type { ConsumeOtpResponse } from '@agent-otp/shared';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';
import { agentActor } from '../audit/actor.js';
import { type CoreContext, nowIso } from '../context.js';
import { OTP_REQUESTS } from '../requests/otp-requests.js';
import { readRequest } from '../requests/read-request.js';
import { transition } from '../requests/transition.js';

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
  const current = await readRequest(ctx, OTP_REQUESTS, id, scope);
  if (current.status !== 'otp_received' || current.encrypted_payload === null)
    throw OTP_REQUESTS.conflict(current, 'consume');
  const payload = current.encrypted_payload;
  const consumedAt = nowIso(ctx);
  const consumed = await transition(ctx, {
    kind: OTP_REQUESTS,
    id,
    scope,
    from: ['otp_received'],
    changes: { status: 'consumed', encrypted_payload: null, consumed_at: consumedAt, closed_at: consumedAt },
    now: consumedAt,
    audit: () => ({ actor: agentActor(agent), action: 'consumed' }),
  });
  if (!consumed) throw OTP_REQUESTS.conflict(await readRequest(ctx, OTP_REQUESTS, id, scope), 'consume');
  return { id, status: 'consumed', encryptedPayload: payload, consumedAt };
}
