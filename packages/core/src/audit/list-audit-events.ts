import {
  type AuditEventRecord,
  auditChainLength,
  auditSeqBefore,
  auditSeqFrom,
  listAuditEventRecords,
} from '@agent-otp/db';
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

/** What the audit page and its export can be narrowed by; every filter is optional. */
export interface AuditFilters {
  /** Text in the action, target or details. */
  search?: string | undefined;
  /** An action (`otp.approved`) or its family (`otp`). */
  action?: string | undefined;
  /** Events the agent caused, that name it, or about one of its requests. */
  agentId?: string | undefined;
  /** Events at or after this instant (ISO 8601). */
  since?: string | undefined;
  /** Events before this instant. */
  until?: string | undefined;
}

/** The stored form of an instant, so text comparison on SQLite orders it like time. */
function storedInstant(value: string | undefined): string | undefined {
  return value === undefined ? undefined : new Date(value).toISOString();
}

/**
 * The sequence numbers the filters can match, `low..high` inclusive (empty when high < low).
 * Dates become sequence numbers through the `(chain, created_at, seq)` index, because a
 * chain is appended in time order; the rows are still checked against the dates, so events
 * appended a moment out of order are never shown outside the range.
 */
async function seqRange(
  ctx: CoreContext,
  ownerId: string,
  filters: { since?: string | undefined; until?: string | undefined },
): Promise<{ low: number; high: number }> {
  const high = filters.until
    ? await auditSeqBefore(ctx.database, ownerId, filters.until)
    : await auditChainLength(ctx.database, ownerId);
  if (!filters.since) return { low: 1, high };
  const low = await auditSeqFrom(ctx.database, ownerId, filters.since);
  return { low: low ?? high + 1, high };
}

/**
 * One owner's audit events, newest first. Unfiltered, a page is a walk down the chain's
 * index. Filtered (text, action, agent or dates), a page looks through at most
 * AUDIT_SEARCH_WINDOW events before the cursor (and within the dates) and says which in
 * `searched`; when fewer matches than `limit` were found and older events remain,
 * `nextCursor` continues below the window.
 *
 * @example
 * const { events, nextCursor, searched } = await listAuditEvents(ctx, { ownerId, limit: 50, search: 'otp_01J…' });
 */
export async function listAuditEvents(
  ctx: CoreContext,
  options: AuditFilters & { ownerId: string; limit: number; cursor?: string | undefined },
): Promise<{ events: AuditEvent[]; nextCursor: string | null; searched?: AuditSearchWindow }> {
  const before = options.cursor ? Number.parseInt(options.cursor, 10) : Number.NaN;
  const beforeSeq = Number.isInteger(before) ? before : undefined;
  const since = storedInstant(options.since);
  const until = storedInstant(options.until);
  const filters = { ...options, since, until };
  if (!(options.search || options.action || options.agentId || since || until)) {
    const rows = await listAuditEventRecords(ctx.database, {
      chain: options.ownerId,
      limit: options.limit + 1,
      beforeSeq,
    });
    const page = rows.slice(0, options.limit);
    const last = page.at(-1);
    return {
      events: page.map(toApiAuditEvent),
      nextCursor: rows.length > options.limit && last ? String(last.seq) : null,
    };
  }
  const range = await seqRange(ctx, options.ownerId, filters);
  const toSeq = Math.min(range.high, (beforeSeq ?? Number.POSITIVE_INFINITY) - 1);
  if (toSeq < range.low) {
    const at = Math.max(toSeq, 0);
    return { events: [], nextCursor: null, searched: { fromSeq: at, toSeq: at } };
  }
  const fromSeq = Math.max(range.low, toSeq - AUDIT_SEARCH_WINDOW + 1);
  const rows = await listAuditEventRecords(ctx.database, {
    ...filters,
    chain: options.ownerId,
    limit: options.limit + 1,
    beforeSeq: toSeq + 1,
    afterSeq: fromSeq - 1,
  });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  const events = page.map(toApiAuditEvent);
  // A full page stops at its last match; otherwise the whole window was searched.
  if (rows.length > options.limit && last)
    return { events, nextCursor: String(last.seq), searched: { fromSeq: last.seq, toSeq } };
  return {
    events,
    nextCursor: fromSeq > range.low ? String(fromSeq) : null,
    searched: { fromSeq, toSeq },
  };
}
