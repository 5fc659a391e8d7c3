import type { OtpRequestRow } from '@agent-otp/db';
import { SETTLED_STATUSES } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import { waitForChange } from '../events/wait-for-change.js';
import { withExpiryApplied } from './expire-requests.js';
import { findScopedRequest, notFound, type RequestScope } from './transition.js';

/**
 * Reads a request within a scope (an agent sees only its own), applying expiry if due.
 * Someone else's request is NOT_FOUND, indistinguishable from one that does not exist.
 *
 * @example
 * const row = await readOtpRequest(ctx, id, { agentId: agent.agentId });
 */
export async function readOtpRequest(
  ctx: CoreContext,
  id: string,
  scope: RequestScope,
): Promise<OtpRequestRow> {
  const row = await findScopedRequest(ctx.database.db, id, scope);
  if (!row) throw notFound(id);
  return withExpiryApplied(ctx, row);
}

/**
 * Long-poll: returns the request at once if it is settled (a code to consume, or an end),
 * otherwise when its status changes, it expires, `waitSeconds` pass, or `signal` aborts.
 * Subscribes before reading, so a change between the read and the wait is never missed.
 *
 * @example
 * const row = await waitForOtpChange(ctx, id, { agentId }, 30);
 */
export function waitForOtpChange(
  ctx: CoreContext,
  id: string,
  scope: RequestScope,
  waitSeconds: number,
  signal?: AbortSignal,
): Promise<OtpRequestRow> {
  return waitForChange(
    ctx,
    id,
    waitSeconds,
    {
      read: () => readOtpRequest(ctx, id, scope),
      settled: SETTLED_STATUSES,
      // A code held while pending changes the row without changing its status.
      same: (initial, current) =>
        current.status === initial.status && current.encrypted_payload === initial.encrypted_payload,
    },
    signal,
  );
}
