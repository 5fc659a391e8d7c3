import type { PermissionRequest } from '@agent-otp/shared';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';
import { agentActor } from '../audit/actor.js';
import { type CoreContext, nowIso } from '../context.js';
import { PERMISSION_REQUESTS } from '../requests/permission-requests.js';
import { readRequest } from '../requests/read-request.js';
import { transition } from '../requests/transition.js';
import { toApiPermission } from './permission-row.js';

/**
 * The agent withdraws its request. Cancelling an approved request revokes its token and
 * every use left.
 *
 * @example
 * await cancelPermissionRequest(ctx, agent, 'prm_01J…');
 */
export async function cancelPermissionRequest(
  ctx: CoreContext,
  agent: AuthenticatedAgent,
  id: string,
): Promise<PermissionRequest> {
  const scope = { agentId: agent.agentId };
  await readRequest(ctx, PERMISSION_REQUESTS, id, scope);
  const now = nowIso(ctx);
  const cancelled = await transition(ctx, {
    kind: PERMISSION_REQUESTS,
    id,
    scope,
    from: ['pending_approval', 'approved'],
    changes: { status: 'cancelled', closed_at: now },
    now,
    audit: () => ({ actor: agentActor(agent), action: 'cancelled' }),
  });
  if (!cancelled)
    throw PERMISSION_REQUESTS.conflict(await readRequest(ctx, PERMISSION_REQUESTS, id, scope), 'cancel');
  return toApiPermission(ctx, cancelled);
}
