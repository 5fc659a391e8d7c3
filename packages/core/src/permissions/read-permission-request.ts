import type { PermissionRequestRecord } from '@agent-otp/db';
import { type PermissionRequest, SETTLED_PERMISSION_STATUSES } from '@agent-otp/shared';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';
import { agentActor } from '../audit/actor.js';
import type { CoreContext } from '../context.js';
import { waitForChange } from '../events/wait-for-change.js';
import { PERMISSION_REQUESTS } from '../requests/permission-requests.js';
import { readRequest } from '../requests/read-request.js';
import { transition } from '../requests/transition.js';
import { newSecret } from '../secrets.js';
import { toApiPermission } from './permission-row.js';

/**
 * Hands the token of an approved request to its agent, once. The token is minted here and
 * only its hash is stored, in a conditional update that only one caller can win; every
 * later read (and every racing one) sees `tokenIssued: true` and no token.
 */
async function handOutToken(
  ctx: CoreContext,
  agent: AuthenticatedAgent,
  row: PermissionRequestRecord,
): Promise<PermissionRequest> {
  if (row.status !== 'approved' || row.token_handed_out === 1) return toApiPermission(ctx, row);
  const token = newSecret('otp');
  const issued = await transition(ctx, {
    kind: PERMISSION_REQUESTS,
    id: row.id,
    scope: { agentId: agent.agentId },
    from: ['approved'],
    changes: { token_hash: token.hash, token_handed_out: 1 },
    where: { token_handed_out: 0 },
    // The status does not change: nobody waits on a hand-out.
    quiet: true,
    audit: (updated) => ({
      actor: agentActor(agent),
      action: 'token_issued',
      details: { uses: updated.uses_remaining, expiresAt: updated.expires_at },
    }),
  });
  if (issued) return toApiPermission(ctx, issued, token.secret);
  return toApiPermission(
    ctx,
    await readRequest(ctx, PERMISSION_REQUESTS, row.id, { agentId: agent.agentId }),
  );
}

/**
 * The agent's view of its permission request; with `waitSeconds` a long-poll that returns
 * as soon as the request is decided or ends. The first read after approval carries the token.
 *
 * @example
 * const request = await getPermissionRequest(ctx, agent, id, 30, signal);
 * if (request.token) … // shown once
 */
export async function getPermissionRequest(
  ctx: CoreContext,
  agent: AuthenticatedAgent,
  id: string,
  waitSeconds = 0,
  signal?: AbortSignal,
): Promise<PermissionRequest> {
  const scope = { agentId: agent.agentId };
  const row = await waitForChange(
    ctx,
    id,
    waitSeconds,
    {
      read: () => readRequest(ctx, PERMISSION_REQUESTS, id, scope),
      shareKey: JSON.stringify(scope),
      settled: SETTLED_PERMISSION_STATUSES,
    },
    signal,
  );
  // A client that went away must not take the token with it.
  if (signal?.aborted) return toApiPermission(ctx, row);
  return handOutToken(ctx, agent, row);
}
