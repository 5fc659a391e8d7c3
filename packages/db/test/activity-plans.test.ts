// Issue 15 "Activity charts": the activity queries read one owner's requests in a date range
// down the (owner_id, created_at, agent_id, status) index of migration 0019, never the whole
// history: the counts from the index alone (covering), the decision times in index order (no
// sort before the LIMIT). The queries are the repositories' own, captured as they run; the
// plans are the databases' own (SQLite's EXPLAIN QUERY PLAN; PostgreSQL's EXPLAIN with
// sequential scans priced out, as they would be on a big table).

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ActivityRange,
  countRequestActivity,
  type Database,
  type DatabaseHandle,
  listDecisionTimes,
  openDatabase,
  type RequestTable,
  SQLITE_DATABASE_FILE,
} from '@agent-otp/db';
import SQLite from 'better-sqlite3';
import { type CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dropPostgresSchema, postgresUrl } from '../../../test-support/postgres.js';
import { describeEachDialect } from '../../../test-support/services.js';

const range: ActivityRange = {
  ownerId: 'usr_01JD2T6A9C2E5G8J1M4P7R0T3V',
  from: '2026-11-18T00:00:00.000Z',
  until: '2026-12-02T00:00:00.000Z',
};
const agentId = 'agt_01JD2T6A9C2E5G8J1M4P7R0T3V';
const TABLES: RequestTable[] = ['otp_requests', 'permission_requests'];

describeEachDialect('activity queries read only the date range', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-activity-plans-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let handle: DatabaseHandle;
  /** A second connection to the same database that records each query it runs. */
  let logged: Kysely<Database>;
  let last: CompiledQuery | undefined;

  beforeAll(async () => {
    handle = await openDatabase({
      dataDir,
      ...(dialect === 'postgres' ? { databaseUrl: postgresUrl, postgresSchema: schema, poolSize: 1 } : {}),
    });
    const log = (event: { level: string; query: CompiledQuery }) => {
      if (event.level === 'query') last = event.query;
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

  async function planOf(run: () => Promise<unknown>): Promise<string> {
    last = undefined;
    await run();
    const query = last as CompiledQuery | undefined;
    expect(query, 'the repository ran a query').toBeDefined();
    return logged.connection().execute(async (db) => {
      if (dialect === 'sqlite') {
        const explained = await db.executeQuery<{ detail: string }>({
          ...query!,
          sql: `explain query plan ${query!.sql}`,
        });
        return explained.rows.map((row) => row.detail).join('\n');
      }
      await sql`set enable_seqscan = off`.execute(db);
      try {
        const explained = await db.executeQuery<{ 'QUERY PLAN': string }>({
          ...query!,
          sql: `explain ${query!.sql}`,
        });
        return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await sql`reset enable_seqscan`.execute(db);
      }
    });
  }

  for (const table of TABLES) {
    for (const [label, agent] of [
      ['every agent', undefined],
      ['one agent', agentId],
    ] as const) {
      it(`${table}, ${label}: the counts come from the range of the covering index`, async () => {
        const plan = await planOf(() =>
          countRequestActivity(logged, dialect, table, { ...range, agentId: agent }),
        );
        // PostgreSQL picks among equally cheap indexes of an empty table by cost alone;
        // SQLite's choice, without statistics, is the one it makes on a grown file too.
        if (dialect === 'sqlite')
          expect(plan).toMatch(new RegExp(`COVERING INDEX ${table}_owner_created_idx`));
        expect(plan).not.toMatch(/Seq Scan|^SCAN /m);
      });

      it(`${table}, ${label}: the decision times are read in index order, newest first`, async () => {
        const plan = await planOf(() =>
          listDecisionTimes(logged, table, { ...range, agentId: agent }, 5_001),
        );
        // One agent's may walk `(agent_id, created_at, id)` (migration 0021) instead: also a
        // range in creation order, and narrower.
        if (dialect === 'sqlite')
          expect(plan).toMatch(
            new RegExp(`INDEX ${table}_owner_created_idx|INDEX ${table}_agent_created_id_idx`),
          );
        expect(plan).not.toMatch(/Seq Scan|^SCAN /m);
        expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY|Sort\b/);
      });
    }
  }
});
