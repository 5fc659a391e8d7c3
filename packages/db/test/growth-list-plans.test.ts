// Issue 18 "Growth": every list the relay pages through, and the open-request count run on
// every create, is read down an index in the order it returns rows: no plan sorts all of an
// owner's (or an agent's) history before returning one page. The queries are the
// repositories' own, captured as they run; the plans are the databases' own (SQLite's
// EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN with sequential scans and sorts priced out, as
// they would be on a big table).

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  countLiveAgentRequests,
  type Database,
  type DatabaseHandle,
  findAgentKeyHistory,
  findPreviousKeyFingerprint,
  listAuditEventRecords,
  listOwnerOtpRequestRecords,
  listOwnerPermissionRequestRecords,
  listWebhookEvents,
  openDatabase,
  SQLITE_DATABASE_FILE,
} from '@agent-otp/db';
import { OPEN_STATUSES } from '@agent-otp/shared';
import SQLite from 'better-sqlite3';
import { type CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dropPostgresSchema, postgresUrl } from '../../../test-support/postgres.js';
import { describeEachDialect } from '../../../test-support/services.js';

const ownerId = 'usr_01JD2T6A9C2E5G8J1M4P7R0T3V';
const agentId = 'agt_01JD2T6A9C2E5G8J1M4P7R0T3V';
const now = '2026-01-01T00:00:00.000Z';

/** Each list query as the relay runs it, and the index its plan must walk. */
const LISTS: Record<
  string,
  {
    index: RegExp;
    /** The rows a sort would see are the open requests alone, never the history. */
    sortsOnlyOpenRequests?: boolean;
    /** The repository runs several queries: every one's plan is checked, not only the last. */
    everyQuery?: boolean;
    run: (db: Kysely<Database>, handle: DatabaseHandle) => Promise<unknown>;
  }
> = {
  'OTP requests, first page': {
    index: /otp_requests_owner_id_idx/,
    run: (db) => listOwnerOtpRequestRecords(db, { ownerId, limit: 51 }),
  },
  'OTP requests, after a cursor': {
    index: /otp_requests_owner_id_idx/,
    run: (db) =>
      listOwnerOtpRequestRecords(db, { ownerId, limit: 51, cursor: 'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N' }),
  },
  'OTP requests of one status': {
    index: /otp_requests_owner_status_id_idx/,
    run: (db) => listOwnerOtpRequestRecords(db, { ownerId, status: 'denied', limit: 51 }),
  },
  // Only live pending requests qualify, at most agents × OPEN_REQUESTS_PER_AGENT whatever the
  // history's size: SQLite may read them by deadline and sort those few.
  'the approval queue': {
    index: /otp_requests_owner_status_id_idx|otp_requests_status_expiry_idx/,
    sortsOnlyOpenRequests: true,
    run: (db) =>
      listOwnerOtpRequestRecords(db, { ownerId, status: 'pending_approval', liveAt: now, limit: 51 }),
  },
  'OTP requests of one agent': {
    index: /otp_requests_agent_id_idx/,
    run: (db) => listOwnerOtpRequestRecords(db, { ownerId, agentId, limit: 51 }),
  },
  'permission requests, first page': {
    index: /permission_requests_owner_id_idx/,
    run: (db) => listOwnerPermissionRequestRecords(db, { ownerId, limit: 51 }),
  },
  'permission requests of one status': {
    index: /permission_requests_owner_status_id_idx/,
    run: (db) => listOwnerPermissionRequestRecords(db, { ownerId, status: 'used', limit: 51 }),
  },
  'permission requests of one agent': {
    index: /permission_requests_agent_id_idx/,
    run: (db) => listOwnerPermissionRequestRecords(db, { ownerId, agentId, limit: 51 }),
  },
  'audit events, first page': {
    index: /audit_events/,
    run: (_db, handle) => listAuditEventRecords(handle, { chain: ownerId, limit: 51 }),
  },
  'audit events, after a cursor': {
    index: /audit_events/,
    run: (_db, handle) => listAuditEventRecords(handle, { chain: ownerId, limit: 51, beforeSeq: 1000 }),
  },
  'webhook deliveries': {
    index: /webhook_outbox_owner_created_idx/,
    run: (db) => listWebhookEvents(db, { ownerId, limit: 50 }),
  },
  'webhook deliveries of one agent': {
    index: /webhook_outbox_owner_created_idx/,
    run: (db) => listWebhookEvents(db, { ownerId, agentId, limit: 50 }),
  },
  'the open-request count on create': {
    index: /otp_requests_agent_status_expiry_idx/,
    run: (db) => countLiveAgentRequests(db, 'otp_requests', { agentId, statuses: OPEN_STATUSES, now }),
  },
  // The approval card's "same key as the last request": one entry back from the request's own.
  "the agent's previous key": {
    index: /otp_requests_agent_created_id_idx/,
    run: (db) =>
      findPreviousKeyFingerprint(db, { agentId, id: 'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N', createdAt: now }),
  },
  // The new-key risk rule on every create: has this key (or any key) been used by the agent.
  'the key history on create': {
    index: /otp_requests_agent_key_idx/,
    everyQuery: true,
    run: (db) => findAgentKeyHistory(db, agentId, 'fp_never_seen'),
  },
};

describeEachDialect('list pages walk an index in page order', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-list-plans-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let handle: DatabaseHandle;
  /** A second connection to the same database that records each query it runs. */
  let logged: Kysely<Database>;
  /** The queries the repository under test ran, in order. */
  let ran: CompiledQuery[] = [];

  beforeAll(async () => {
    handle = await openDatabase({
      dataDir,
      ...(dialect === 'postgres' ? { databaseUrl: postgresUrl, postgresSchema: schema, poolSize: 1 } : {}),
    });
    const log = (event: { level: string; query: CompiledQuery }) => {
      if (event.level === 'query') ran.push(event.query);
    };
    logged = new Kysely<Database>({
      dialect:
        dialect === 'sqlite'
          ? new SqliteDialect({ database: new SQLite(join(dataDir, SQLITE_DATABASE_FILE)) })
          : new PostgresDialect({
              pool: new pg.Pool({
                connectionString: postgresUrl,
                max: 1,
                options: `-c search_path=${schema}`,
              }),
            }),
      log,
    });
  });
  afterAll(async () => {
    await logged?.destroy();
    await handle?.close();
    if (dialect === 'postgres') await dropPostgresSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function planOf(query: CompiledQuery): Promise<string> {
    return logged.connection().execute(async (db) => {
      if (dialect === 'sqlite') {
        const explained = await db.executeQuery<{ detail: string }>({
          ...query,
          sql: `explain query plan ${query.sql}`,
        });
        return explained.rows.map((row) => row.detail).join('\n');
      }
      await sql`set enable_seqscan = off`.execute(db);
      await sql`set enable_sort = off`.execute(db);
      try {
        const explained = await db.executeQuery<{ 'QUERY PLAN': string }>({
          ...query,
          sql: `explain ${query.sql}`,
        });
        return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await sql`reset enable_seqscan`.execute(db);
        await sql`reset enable_sort`.execute(db);
      }
    });
  }

  for (const [name, list] of Object.entries(LISTS)) {
    it(`${name}: no sort of the whole history`, async () => {
      ran = [];
      await list.run(logged, { ...handle, db: logged });
      expect(ran.length, 'the repository ran a query').toBeGreaterThan(0);
      const plans: string[] = [];
      // Copied first: explaining runs queries through the same logger.
      for (const query of list.everyQuery ? [...ran] : ran.slice(-1)) plans.push(await planOf(query));
      const plan = plans.join('\n');
      // PostgreSQL picks among equally cheap indexes of an empty table by cost alone;
      // SQLite's choice, without statistics, is the one it makes on a grown file too.
      if (dialect === 'sqlite') expect(plan).toMatch(list.index);
      // A sort over the few rows of one page is cheap; SQLite and PostgreSQL name a sort of
      // the rows before the LIMIT this way.
      expect(plan).not.toMatch(/Seq Scan|^SCAN /m);
      if (!list.sortsOnlyOpenRequests) expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY|Sort\b/);
    });
  }
});
