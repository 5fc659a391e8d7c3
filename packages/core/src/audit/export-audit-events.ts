import type { AuditEvent } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import { AUDIT_SEARCH_WINDOW, type AuditFilters, listAuditEvents } from './list-audit-events.js';

/** The most events one export holds; the answer says so and gives a cursor for the rest. */
export const AUDIT_EXPORT_ROW_CAP = 10_000;

/**
 * The most events one filtered export looks through (ten search windows), so an export
 * whose filters match little cannot read a million-row chain in one request.
 */
export const AUDIT_EXPORT_SCAN_CAP = 10 * AUDIT_SEARCH_WINDOW;

/** Events read per step: big enough to be few queries, small enough to be one short read each. */
const EXPORT_STEP = 1_000;

export interface AuditExportResult {
  events: AuditEvent[];
  /** Where to continue (`cursor` of a next export or page), or null when nothing older matches. */
  nextCursor: string | null;
  /** True when the export stopped at a cap with older events left to look at. */
  truncated: boolean;
}

/**
 * The owner's audit events that pass `filters`, newest first, up to AUDIT_EXPORT_ROW_CAP
 * events and AUDIT_EXPORT_SCAN_CAP events looked through, read a step at a time through the
 * same bounded pages as the audit list.
 *
 * @example
 * const { events, truncated, nextCursor } = await exportAuditEvents(ctx, { ownerId, action: 'owner' });
 */
export async function exportAuditEvents(
  ctx: CoreContext,
  options: AuditFilters & { ownerId: string; cursor?: string | undefined },
): Promise<AuditExportResult> {
  const events: AuditEvent[] = [];
  let cursor = options.cursor;
  let scanned = 0;
  for (;;) {
    const page = await listAuditEvents(ctx, {
      ...options,
      cursor,
      limit: Math.min(EXPORT_STEP, AUDIT_EXPORT_ROW_CAP - events.length),
    });
    events.push(...page.events);
    if (page.searched) scanned += Math.max(0, page.searched.toSeq - page.searched.fromSeq + 1);
    cursor = page.nextCursor ?? undefined;
    if (!cursor) return { events, nextCursor: null, truncated: false };
    if (events.length >= AUDIT_EXPORT_ROW_CAP || scanned >= AUDIT_EXPORT_SCAN_CAP)
      return { events, nextCursor: cursor, truncated: true };
  }
}
