import type { AuditEventRow } from '@agent-otp/db';
import type { AuditEvent } from '@agent-otp/shared';
import { sql } from 'kysely';
import type { CoreContext } from '../context.js';

export function toApiAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    seq: row.seq,
    at: row.created_at,
    actorType: row.actor_type,
    actorId: row.actor_id,
    channel: row.channel,
    action: row.action,
    targetId: row.target_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
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
  options: { ownerId: string; limit: number; cursor?: string | undefined; search?: string | undefined },
): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
  let query = ctx.database.db
    .selectFrom('audit_events')
    .selectAll()
    .where('chain', '=', options.ownerId)
    .orderBy('seq', 'desc')
    .limit(options.limit + 1);
  const before = options.cursor ? Number.parseInt(options.cursor, 10) : Number.NaN;
  if (Number.isInteger(before)) query = query.where('seq', '<', before);
  if (options.search) {
    // LIKE with an explicit escape character behaves the same on SQLite (which has no default) and PostgreSQL.
    const like = `%${options.search.replace(/[!%_]/g, (c) => `!${c}`)}%`;
    query = query.where(
      sql<boolean>`(${sql.ref('action')} like ${like} escape '!' or ${sql.ref('target_id')} like ${like} escape '!' or ${sql.ref('details')} like ${like} escape '!')`,
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    events: page.map(toApiAuditEvent),
    nextCursor: rows.length > options.limit && last ? String(last.seq) : null,
  };
}
