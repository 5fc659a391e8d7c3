import type { OtpRequest } from '@agent-otp/shared';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';
import { agentActor } from '../audit/actor.js';
import { type CoreContext, nowIso } from '../context.js';
import { OTP_REQUESTS } from '../requests/otp-requests.js';
import { readRequest } from '../requests/read-request.js';
import { transition } from '../requests/transition.js';
import { toApiOtpRequest } from './otp-row.js';

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
  await readRequest(ctx, OTP_REQUESTS, id, scope);
  const now = nowIso(ctx);
  const cancelled = await transition(ctx, {
    kind: OTP_REQUESTS,
    id,
    scope,
    from: ['pending_approval', 'approved', 'otp_received'],
    changes: { status: 'cancelled', encrypted_payload: null, closed_at: now },
    now,
    audit: () => ({ actor: agentActor(agent), action: 'cancelled' }),
  });
  if (!cancelled) throw OTP_REQUESTS.conflict(await readRequest(ctx, OTP_REQUESTS, id, scope), 'cancel');
  return toApiOtpRequest(ctx, cancelled);
}
