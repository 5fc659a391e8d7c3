import { type JsonObject, JsonObjectShape } from '@agent-otp/shared/stored-values';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../open-database.js';
import type { AuditEventRow } from '../schema.js';
import { parseJsonColumn } from './json-column.js';

/** An audit row with its `details` parsed at this edge. */
export type AuditEventRecord = Omit<AuditEventRow, 'details'> & { details: JsonObject };

/**
 * One page of a chain's audit rows, newest first: those before `beforeSeq` (and after
 * `afterSeq`) that pass every filter given. Asks for one row more than `limit`, so the caller can
 * tell whether another page follows.
 *
 * @example
 * const rows = await listAuditEventRecords(database, { chain: ownerId, limit: 51 });
 */
export async function listAuditEventRecords(
  database: DatabaseHandle,
  options: {
    chain: string;
    limit: number;
    beforeSeq?: number | undefined;
    /** Only rows after this sequence number: how far back a filtered page may look. */
    afterSeq?: number | undefined;
    search?: string | undefined;
    /** An action (`otp.approved`) or the family before its dot (`otp`, every `otp.*`). */
    action?: string | undefined;
    /** Rows an agent caused, that name it, or that are about one of its requests. */
    agentId?: string | undefined;
    /** Only rows created at or after this instant (ISO 8601, as stored). */
    since?: string | undefined;
    /** Only rows created before this instant. */
    until?: string | undefined;
  },
): Promise<AuditEventRecord[]> {
  let query = database.db
    .selectFrom('audit_events')
    .selectAll()
    .where('chain', '=', options.chain)
    .orderBy('seq', 'desc')
    .limit(options.limit);
  if (options.beforeSeq !== undefined) query = query.where('seq', '<', options.beforeSeq);
  if (options.afterSeq !== undefined) query = query.where('seq', '>', options.afterSeq);
  const action = options.action;
  if (action) {
    const family = `${action.replace(/[!%_]/g, (c) => `!${c}`)}.%`;
    query = query.where(
      sql<boolean>`(${sql.ref('action')} = ${action} or ${sql.ref('action')} like ${family} escape '!')`,
    );
  }
  if (options.search) {
    // LIKE with an explicit escape character behaves the same on SQLite (which has no default) and PostgreSQL.
    const like = `%${options.search.replace(/[!%_]/g, (c) => `!${c}`)}%`;
    query = query.where(
      sql<boolean>`(${sql.ref('action')} like ${like} escape '!' or ${sql.ref('target_id')} like ${like} escape '!' or ${sql.ref('details')} like ${like} escape '!')`,
    );
  }
  const agentId = options.agentId;
  if (agentId) {
    // Each EXISTS is one primary-key look-up per row of the (bounded) window the caller reads.
    const aboutRequest = (table: 'otp_requests' | 'permission_requests') =>
      sql<boolean>`exists (select 1 from ${sql.table(table)} r where r.id = ${sql.ref('audit_events.target_id')} and r.agent_id = ${agentId})`;
    query = query.where(
      sql<boolean>`(${sql.ref('actor_id')} = ${agentId} or ${sql.ref('target_id')} = ${agentId} or ${aboutRequest('otp_requests')} or ${aboutRequest('permission_requests')})`,
    );
  }
  if (options.since) query = query.where('created_at', '>=', options.since);
  if (options.until) query = query.where('created_at', '<', options.until);
  const rows = await query.execute();
  return rows.map(parsedAuditRow);
}

function parsedAuditRow(row: AuditEventRow): AuditEventRecord {
  return {
    ...row,
    details: parseJsonColumn(
      JsonObjectShape,
      { table: 'audit_events', id: row.id, column: 'details' },
      row.details,
    ),
  };
}

/**
 * The sequence number of a chain's last event created before `until`, or 0: one step down
 * the `(chain, created_at, seq)` index.
 *
 * @example
 * const newest = await auditSeqBefore(database, ownerId, '2026-12-01T00:00:00.000Z');
 */
export async function auditSeqBefore(
  database: DatabaseHandle,
  chain: string,
  until: string,
): Promise<number> {
  const row = await database.db
    .selectFrom('audit_events')
    .select('seq')
    .where('chain', '=', chain)
    .where('created_at', '<', until)
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.seq ?? 0;
}

/**
 * The sequence number of a chain's first event created at or after `since`, or undefined
 * when there is none: one step up the `(chain, created_at, seq)` index.
 *
 * @example
 * const oldest = await auditSeqFrom(database, ownerId, '2026-11-01T00:00:00.000Z');
 */
export async function auditSeqFrom(
  database: DatabaseHandle,
  chain: string,
  since: string,
): Promise<number | undefined> {
  const row = await database.db
    .selectFrom('audit_events')
    .select('seq')
    .where('chain', '=', chain)
    .where('created_at', '>=', since)
    .orderBy('created_at', 'asc')
    .orderBy('seq', 'asc')
    .limit(1)
    .executeTakeFirst();
  return row?.seq;
}

/**
 * How many events a chain holds (its last sequence number; 0 for none), read off the
 * `(chain, seq)` index.
 *
 * @example
 * const length = await auditChainLength(database, ownerId);
 */
export async function auditChainLength(database: DatabaseHandle, chain: string): Promise<number> {
  const last = await database.db
    .selectFrom('audit_events')
    .select('seq')
    .where('chain', '=', chain)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last?.seq ?? 0;
}

/**
 * The audit rows of one chain about one target (a request's `otp_…`/`prm_…` ID), oldest
 * first: what a request's timeline is built from. Served by the `target_id` index; at most
 * `limit` rows, so a request that was retried thousands of times cannot make a page huge.
 *
 * @example
 * const rows = await listAuditEventRecordsForTarget(database, { chain: ownerId, targetId: 'otp_01J…', limit: 200 });
 */
export async function listAuditEventRecordsForTarget(
  database: DatabaseHandle,
  options: { chain: string; targetId: string; limit: number },
): Promise<AuditEventRecord[]> {
  const rows = await database.db
    .selectFrom('audit_events')
    .selectAll()
    .where('target_id', '=', options.targetId)
    .where('chain', '=', options.chain)
    .orderBy('seq', 'asc')
    .limit(options.limit)
    .execute();
  return rows.map(parsedAuditRow);
}
