import type { RequestRecords, RequestTable } from '@agent-otp/db';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';
import { agentActor } from '../audit/actor.js';
import { type CoreContext, nowIso } from '../context.js';
import { readRequest } from './read-request.js';
import type { RequestKindConfig } from './request-kind.js';
import { transition } from './transition.js';

/**
 * An agent withdraws its own open request of any kind; closing erases what the kind erases
 * (an OTP ciphertext) and ends what it grants (a permission token's uses). Someone else's
 * request is NOT_FOUND; one that already ended is the kind's conflict error.
 *
 * @example
 * const row = await cancelRequest(ctx, OTP_REQUESTS, agent, id);
 */
export async function cancelRequest<T extends RequestTable>(
  ctx: CoreContext,
  kind: RequestKindConfig<T>,
  agent: AuthenticatedAgent,
  id: string,
): Promise<RequestRecords[T]> {
  const scope = { agentId: agent.agentId };
  // The conditional update decides; only a refused one reads the row to say why.
  const now = nowIso(ctx);
  const cancelled = await transition(ctx, {
    kind,
    id,
    scope,
    from: kind.open,
    changes: { ...kind.closeChanges, status: 'cancelled', closed_at: now },
    now,
    audit: () => ({ actor: agentActor(agent), action: 'cancelled' }),
  });
  if (!cancelled) throw kind.conflict(await readRequest(ctx, kind, id, scope), 'cancel');
  return cancelled;
}
