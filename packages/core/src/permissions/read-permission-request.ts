import type { PermissionRequestRow } from '@agent-otp/db';
import { withTransaction } from '@agent-otp/db';
import { type PermissionRequest, SETTLED_PERMISSION_STATUSES } from '@agent-otp/shared';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { CoreContext } from '../context.js';
import { requestTopic } from '../events/event-bus.js';
import { newSecret } from '../secrets.js';
import { readPermission } from './find-permission.js';
import { toApiPermission } from './permission-row.js';

/**
 * Hands the token of an approved request to its agent, once. The token is minted here and
 * only its hash is stored, in a conditional update that only one caller can win; every
 * later read (and every racing one) sees `tokenIssued: true` and no token.
 */
async function handOutToken(
  ctx: CoreContext,
  agent: AuthenticatedAgent,
  row: PermissionRequestRow,
): Promise<PermissionRequest> {
  if (row.status !== 'approved' || row.token_handed_out === 1) return toApiPermission(ctx, row);
  const token = newSecret('otp');
  const issued = await withTransaction(ctx.database, async (tx) => {
    const updated = await tx
      .updateTable('permission_requests')
      .set({ token_hash: token.hash, token_handed_out: 1 })
      .where('id', '=', row.id)
      .where('agent_id', '=', agent.agentId)
      .where('status', '=', 'approved')
      .where('token_handed_out', '=', 0)
      .returningAll()
      .executeTakeFirst();
    if (!updated) return undefined;
    await recordAuditEvent(ctx, tx, {
      ownerId: updated.owner_id,
      actor: { type: 'agent', id: agent.agentId, label: agent.agentName, channel: 'api' },
      action: 'permission.token_issued',
      targetId: updated.id,
      details: { uses: updated.uses_remaining, expiresAt: updated.expires_at },
    });
    return updated;
  });
  if (issued) return toApiPermission(ctx, issued, token.secret);
  return toApiPermission(ctx, await readPermission(ctx, row.id, { agentId: agent.agentId }));
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
  let wake: () => void = () => {};
  let woken!: Promise<void>;
  const arm = () => {
    woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
  };
  arm();
  let heardChange = false;
  // Subscribe before reading, so a decision between the read and the wait is never missed.
  const unsubscribe = ctx.bus.subscribe(requestTopic(id), (event) => {
    // A resync only says events may have been missed (the bus reconnected): re-read, and
    // keep waiting if nothing changed.
    if (event.type !== 'resync') heardChange = true;
    wake();
  });
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const onAbort = () => wake();
  try {
    let row = await readPermission(ctx, id, scope);
    if (waitSeconds > 0 && !SETTLED_PERMISSION_STATUSES.has(row.status) && !signal?.aborted) {
      const initialStatus = row.status;
      const untilExpiry = Date.parse(row.expires_at) - ctx.clock.now().getTime();
      timer = setTimeout(
        () => {
          timedOut = true;
          wake();
        },
        Math.max(0, Math.min(waitSeconds * 1000, untilExpiry + 50)),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      for (;;) {
        await woken;
        // Re-armed before reading: a wake-up during the read means one more read, not a miss.
        arm();
        const changed = heardChange;
        row = await readPermission(ctx, id, scope);
        if (changed || timedOut || signal?.aborted || row.status !== initialStatus) break;
      }
    }
    // A client that went away must not take the token with it.
    if (signal?.aborted) return toApiPermission(ctx, row);
    return await handOutToken(ctx, agent, row);
  } finally {
    unsubscribe();
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
