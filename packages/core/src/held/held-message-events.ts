import type { HeldMessageRow } from '@agent-otp/db';
import type { CoreContext } from '../context.js';

/**
 * Tells the owner's channels (dashboard live list, Telegram) that a held message appeared or
 * closed; call only after the change committed. Held messages belong to no single agent.
 *
 * @example
 * publishHeldMessageEvent(ctx, row, 'created');
 */
export function publishHeldMessageEvent(
  ctx: CoreContext,
  row: Pick<HeldMessageRow, 'id' | 'owner_id' | 'status'>,
  type: 'created' | 'status' = 'status',
): void {
  ctx.bus.publish({
    type,
    kind: 'held',
    requestId: row.id,
    ownerId: row.owner_id,
    agentId: '',
    status: row.status,
  });
}
