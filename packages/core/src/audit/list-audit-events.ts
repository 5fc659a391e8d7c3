import { type AuditEventRecord, listAuditEventRecords } from '@agent-otp/db';
import type { AuditEvent } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';

export function toApiAuditEvent(row: AuditEventRecord): AuditEvent {
  return {
    id: row.id,
    seq: row.seq,
    at: row.created_at,
    actorType: row.actor_type,
    actorId: row.actor_id,
    channel: row.channel,
    action: row.action,
    targetId: row.target_id,
    details: row.details,
    hash: row.hash,
  };
}

/**
 * One owner's audit events, newest first, filtered by text in the action or target.
 *
 * @example
 * const { events, nextCursor } = await listAuditEvents(ctx, { ownerId, limit: 50 });
 */
export async function listAuditEvents(
  ctx: CoreContext,
  options: {
    ownerId: string;
    limit: number;
    cursor?: string | undefined;
    search?: string | undefined;
    /** An action (`otp.approved`) or its family (`otp`). */
    action?: string | undefined;
  },
): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
  const before = options.cursor ? Number.parseInt(options.cursor, 10) : Number.NaN;
  const rows = await listAuditEventRecords(ctx.database, {
    chain: options.ownerId,
    limit: options.limit + 1,
    beforeSeq: Number.isInteger(before) ? before : undefined,
    search: options.search,
    action: options.action,
  });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    events: page.map(toApiAuditEvent),
    nextCursor: rows.length > options.limit && last ? String(last.seq) : null,
  };
}
