import type { Tx } from '@agent-otp/db';
import type { CoreContext } from '../context.js';
import type { RequestEvent } from '../events/event-bus.js';

/**
 * Tells other instances about a change from inside the transaction that makes it (on
 * PostgreSQL a NOTIFY, delivered on commit and dropped on rollback), so the commit is not
 * followed by a round trip of its own. Call {@link publishCommittedChange} after the commit.
 *
 * @example
 * await withTransaction(ctx.database, async (tx) => { …; await announceWithin(ctx, tx, event); });
 * publishCommittedChange(ctx, event);
 */
export async function announceWithin(ctx: CoreContext, tx: Tx, event: RequestEvent): Promise<void> {
  await ctx.bus.notifyOthersWithin?.(tx, event);
}

/** Wakes this process's waiters once the change committed; other instances heard it from the commit. */
export function publishCommittedChange(ctx: CoreContext, event: RequestEvent): void {
  ctx.bus.publish(event, { othersNotified: ctx.bus.notifyOthersWithin !== undefined });
}
