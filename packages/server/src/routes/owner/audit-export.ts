import { AUDIT_EXPORT_ROW_CAP, auditEventsCsv, exportAuditEvents } from '@agent-otp/core';
import { AuditExport, AuditExportQuery } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

/** Response headers that state the cap and where the export stopped (the CSV has no room for them). */
const exportHeaders = {
  'X-Export-Row-Cap': {
    description: 'The most events one export holds.',
    schema: { type: 'integer' as const, example: AUDIT_EXPORT_ROW_CAP },
  },
  'X-Export-Rows': {
    description: 'How many events this export holds.',
    schema: { type: 'integer' as const, example: 1 },
  },
  'X-Export-Truncated': {
    description: '`true` when the export stopped at its cap with older events left to export.',
    schema: { type: 'string' as const, enum: ['true', 'false'], example: 'false' },
  },
  'X-Export-Next-Cursor': {
    description: 'Present when truncated: pass as `cursor` to export the older events.',
    schema: { type: 'string' as const, example: '41' },
  },
  'Content-Disposition': {
    description:
      'attachment, with a file name that says what and when: `agent-otp-audit-20261122T130600Z.csv`.',
    schema: { type: 'string' as const },
  },
};

const exportRoute = declareRoute({
  method: 'get',
  path: '/api/v1/audit/export',
  operationId: 'exportAuditEvents',
  tags: ['Owner'],
  summary: 'The filtered audit events as a CSV or JSON file (at most 10,000 per export)',
  description:
    "The owner’s audit events that pass the same filters as `GET /api/v1/audit`, newest first, as a download. One export holds at most 10,000 events and looks through at most 100,000; when it stops at either cap with older events left, `X-Export-Truncated` is `true` and `X-Export-Next-Cursor` (and, in JSON, `nextCursor`) continues where it stopped. In CSV, the details are one JSON cell, and a cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`) is prefixed with `'`.",
  errors: {
    VALIDATION_ERROR: 'query.format: Invalid option: expected one of "csv"|"json"',
  },
  credential: 'owner',
  request: { query: AuditExportQuery },
  responses: {
    200: {
      description: 'The export, as an attachment.',
      headers: exportHeaders,
      content: {
        'text/csv': {
          schema: z.string().meta({
            example:
              'seq,at,action,actor_type,actor_id,actor,channel,target_id,details,hash\r\n42,2026-11-22T13:05:41.000Z,otp.approved,owner,usr_01JD2W…,owner@example.com,dashboard,otp_01JD2W…,{},b7e4…\r\n',
          }),
        },
        'application/json': { schema: AuditExport },
      },
    },
  },
});

/** `20261122T130600Z`: sorts by time and is safe in any file system. */
function fileStamp(at: string): string {
  return at.replace(/\.\d+Z$/, 'Z').replaceAll(/[-:]/g, '');
}

/** `GET /api/v1/audit/export`: the filtered events as one file, capped. */
export function registerOwnerAuditExport(app: Router, services: ServerServices) {
  openapiRoute(app, services, exportRoute, async (c) => {
    const { format, cursor, q, action, agentId, since, until } = c.req.valid('query');
    const exported = await exportAuditEvents(services.ctx, {
      ownerId: c.get('owner').id,
      cursor,
      search: q,
      action,
      agentId,
      since,
      until,
    });
    const exportedAt = services.ctx.clock.now().toISOString();
    c.header(
      'Content-Disposition',
      `attachment; filename="agent-otp-audit-${fileStamp(exportedAt)}.${format}"`,
    );
    c.header('Cache-Control', 'no-store');
    c.header('X-Export-Row-Cap', String(AUDIT_EXPORT_ROW_CAP));
    c.header('X-Export-Rows', String(exported.events.length));
    c.header('X-Export-Truncated', String(exported.truncated));
    if (exported.nextCursor) c.header('X-Export-Next-Cursor', exported.nextCursor);
    if (format === 'json')
      return c.json(
        {
          exportedAt,
          rowCap: AUDIT_EXPORT_ROW_CAP,
          truncated: exported.truncated,
          nextCursor: exported.nextCursor,
          events: exported.events,
        },
        200,
      );
    c.header('Content-Type', 'text/csv; charset=utf-8');
    return c.body(auditEventsCsv(exported.events), 200);
  });
}
