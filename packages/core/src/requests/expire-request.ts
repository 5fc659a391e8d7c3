import { listOverdueRequestRecords, type RequestRecords, type RequestTable } from '@agent-otp/db';
import { SYSTEM_ACTOR } from '../audit/actor.js';
import { type CoreContext, nowIso } from '../context.js';
import { yieldToEventLoop } from '../yield-to-event-loop.js';
import type { RequestKindConfig } from './request-kind.js';
import { transition } from './transition.js';

/**
 * Expires one overdue request of any kind (erasing what its kind erases on expiry) and
 * audits it. Returns the expired row, or undefined if it was not overdue or another actor
 * moved it first. The deadline is tested again in the update, since a permission approval
 * moves it.
 *
 * @example
 * await expireRequest(ctx, PERMISSION_REQUESTS, row);
 */
export async function expireRequest<T extends RequestTable>(
  ctx: CoreContext,
  kind: RequestKindConfig<T>,
  row: RequestRecords[T],
): Promise<RequestRecords[T] | undefined> {
  const now = nowIso(ctx);
  if (row.expires_at > now) return undefined;
  return transition(ctx, {
    kind,
    id: row.id,
    scope: { any: true },
    from: kind.open,
    changes: { ...kind.closeChanges, status: 'expired', closed_at: now },
    deadline: 'overdue',
    now,
    audit: () => ({ actor: SYSTEM_ACTOR, action: 'expired', details: kind.expiryDetails(row) }),
  });
}

/**
 * Expires every overdue request of one kind, in batches. Safe to run on every instance at
 * once: each row moves in one conditional update.
 *
 * @example
 * await expireOverdueRequestsOf(ctx, OTP_REQUESTS);
 */
export async function expireOverdueRequestsOf<T extends RequestTable>(
  ctx: CoreContext,
  kind: RequestKindConfig<T>,
  batchSize = 200,
): Promise<number> {
  let total = 0;
  for (;;) {
    const overdue = await listOverdueRequestRecords(ctx.database.db, kind.table, {
      statuses: kind.open,
      now: nowIso(ctx),
      limit: batchSize,
    });
    for (const row of overdue) {
      if (await expireRequest(ctx, kind, row)) total++;
      // A backlog (after downtime) must not hold every other request until it is swept.
      await yieldToEventLoop();
    }
    if (overdue.length < batchSize) return total;
  }
}
