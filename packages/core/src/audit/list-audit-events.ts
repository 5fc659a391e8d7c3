import { type AuditEventRecord, auditChainLength, listAuditEventRecords } from '@agent-otp/db';
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
 * How many events one filtered page looks through at most. A text search cannot use an
 * index (it matches inside details), so without a bound a term that matches nothing reads
 * the whole chain: 0.5 s at a million events. 10,000 events cost a few milliseconds; the
 * page says which events it searched and its cursor continues further back.
 */
export const AUDIT_SEARCH_WINDOW = 10_000;

/** The sequence numbers a filtered page searched, newest first down to `fromSeq`. */
export interface AuditSearchWindow {
  fromSeq: number;
  toSeq: number;
}

/**
 * One owner's audit events, newest first. Unfiltered, a page is a walk down the chain's
 * index. Filtered (`search` in the action, target or details, or an `action`), a page looks
 * through at most AUDIT_SEARCH_WINDOW events before the cursor and says which in
 * `searched`; when fewer matches than `limit` were found and older events remain,
 * `nextCursor` continues the search below the window.
 *
 * @example
 * const { events, nextCursor, searched } = await listAuditEvents(ctx, { ownerId, limit: 50, search: 'otp_01J…' });
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
): Promise<{ events: AuditEvent[]; nextCursor: string | null; searched?: AuditSearchWindow }> {
  const before = options.cursor ? Number.parseInt(options.cursor, 10) : Number.NaN;
  const beforeSeq = Number.isInteger(before) ? before : undefined;
  const filtered = Boolean(options.search || options.action);
  const toSeq = filtered
    ? (beforeSeq ?? (await auditChainLength(ctx.database, options.ownerId)) + 1) - 1
    : undefined;
  const afterSeq = toSeq === undefined ? undefined : Math.max(0, toSeq - AUDIT_SEARCH_WINDOW);
  const rows = await listAuditEventRecords(ctx.database, {
    chain: options.ownerId,
    limit: options.limit + 1,
    beforeSeq,
    afterSeq,
    search: options.search,
    action: options.action,
  });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  const events = page.map(toApiAuditEvent);
  if (toSeq === undefined || afterSeq === undefined)
    return { events, nextCursor: rows.length > options.limit && last ? String(last.seq) : null };
  const newest = Math.max(toSeq, 0);
  // A full page stops at its last match; otherwise the whole window was searched.
  if (rows.length > options.limit && last)
    return { events, nextCursor: String(last.seq), searched: { fromSeq: last.seq, toSeq: newest } };
  return {
    events,
    nextCursor: afterSeq > 0 ? String(afterSeq + 1) : null,
    searched: { fromSeq: Math.min(afterSeq + 1, newest), toSeq: newest },
  };
}
