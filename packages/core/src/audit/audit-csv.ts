import type { AuditEvent } from '@agent-otp/shared';

/** The columns of an audit CSV export, in order. */
export const AUDIT_CSV_COLUMNS = [
  'seq',
  'at',
  'action',
  'actor_type',
  'actor_id',
  'actor',
  'channel',
  'target_id',
  'details',
  'hash',
] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a
 * formula by a spreadsheet (an agent name or a reason is attacker-chosen text), so it is
 * prefixed with `'`, which spreadsheets show as text.
 *
 * @example
 * csvCell('=HYPERLINK("x")') === `"'=HYPERLINK(""x"")"`;
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Audit events as CSV lines (header first, CRLF line ends), with the details as JSON in one
 * cell; the actor label is its own column.
 *
 * @example
 * const text = auditEventsCsv(events);
 */
export function auditEventsCsv(events: readonly AuditEvent[]): string {
  const lines = [AUDIT_CSV_COLUMNS.join(',')];
  for (const event of events) {
    const { actor, ...details } = event.details;
    lines.push(
      [
        event.seq,
        event.at,
        event.action,
        event.actorType,
        event.actorId,
        typeof actor === 'string' ? actor : null,
        event.channel,
        event.targetId,
        JSON.stringify(details),
        event.hash,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
