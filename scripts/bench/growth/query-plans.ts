/**
 * SQLite's plan for each list query the relay pages through, run against the grown file:
 * a plan that says `USE TEMP B-TREE FOR ORDER BY` sorts every matching row before it can
 * return a page, which is what makes a list slower as the history grows.
 */
import { join } from 'node:path';
import {
  auditSeqBefore,
  auditSeqFrom,
  type Database,
  type DatabaseHandle,
  listAuditEventRecords,
  listCapturableOtpRequestRecords,
  listOwnerOtpRequestRecords,
  listOwnerPermissionRequestRecords,
  listWebhookEvents,
  SQLITE_DATABASE_FILE,
} from '@agent-otp/db';
import { OPEN_STATUSES } from '@agent-otp/shared';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { GrowthTarget } from '../../../test-support/grow-history.js';
import type { TestRelay } from '../../../test-support/relay.js';

/** Each list query's plan lines, and whether any of them sorts in a temporary B-tree. */
export async function sqliteListPlans(relay: TestRelay, target: GrowthTarget) {
  const sqlite = new SQLite(join(relay.dataDir, SQLITE_DATABASE_FILE), { readonly: true });
  let captured: { sql: string; parameters: readonly unknown[] } | undefined;
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log(event) {
      if (event.level === 'query') captured = { sql: event.query.sql, parameters: event.query.parameters };
    },
  });
  const handle: DatabaseHandle = { db, dialect: 'sqlite', close: () => db.destroy() };
  const { ownerId, agentId } = target;
  const now = new Date().toISOString();
  const queries: Record<string, () => Promise<unknown>> = {
    requests: () => listOwnerOtpRequestRecords(db, { ownerId, limit: 51 }),
    requestsNextPage: () => listOwnerOtpRequestRecords(db, { ownerId, limit: 51, cursor: 'otp_01K' }),
    requestsByStatus: () => listOwnerOtpRequestRecords(db, { ownerId, status: 'consumed', limit: 51 }),
    approvalQueue: () =>
      listOwnerOtpRequestRecords(db, { ownerId, status: 'pending_approval', liveAt: now, limit: 51 }),
    requestsByAgent: () => listOwnerOtpRequestRecords(db, { ownerId, agentId, limit: 51 }),
    requestsSince: () => listOwnerOtpRequestRecords(db, { ownerId, since: now, limit: 51 }),
    permissions: () => listOwnerPermissionRequestRecords(db, { ownerId, limit: 51 }),
    permissionsByStatus: () =>
      listOwnerPermissionRequestRecords(db, { ownerId, status: 'denied', limit: 51 }),
    audit: () => listAuditEventRecords(handle, { chain: ownerId, limit: 51 }),
    auditNextPage: () => listAuditEventRecords(handle, { chain: ownerId, limit: 51, beforeSeq: 1000 }),
    auditByAction: () => listAuditEventRecords(handle, { chain: ownerId, limit: 51, action: 'otp' }),
    auditByAgent: () =>
      listAuditEventRecords(handle, { chain: ownerId, limit: 51, agentId, afterSeq: 0, beforeSeq: 10_001 }),
    auditSeqSince: () => auditSeqFrom(handle, ownerId, now),
    auditSeqUntil: () => auditSeqBefore(handle, ownerId, now),
    webhookDeliveries: () => listWebhookEvents(db, { ownerId, limit: 50 }),
    openRequestsForCapture: () =>
      listCapturableOtpRequestRecords(db, { ownerId, sourceKind: 'email', statuses: OPEN_STATUSES, now }),
  };
  const plans: Record<string, { sortsInTempBTree: boolean; plan: string[] }> = {};
  try {
    for (const [name, run] of Object.entries(queries)) {
      captured = undefined;
      await run();
      if (!captured) throw new Error(`${name}: no query was captured`);
      const { sql, parameters } = captured;
      const rows = sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(parameters as unknown[])) as {
        detail: string;
      }[];
      const plan = rows.map((row) => row.detail);
      plans[name] = { sortsInTempBTree: plan.some((line) => line.includes('TEMP B-TREE')), plan };
    }
  } finally {
    await db.destroy();
  }
  return plans;
}
