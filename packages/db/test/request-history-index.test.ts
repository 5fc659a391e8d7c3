// Issue 15 "One history": a page of an owner's requests (newest first by ID, after a cursor)
// is read down the `(owner_id, id)` index of each request table, with no sort of all the
// owner's rows. The plans are the databases' own (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's
// EXPLAIN with sequential scans and sorts priced out, as they would be on a big table).

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseHandle, openDatabase } from '@agent-otp/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dropPostgresSchema, postgresUrl } from '../../../test-support/postgres.js';
import { describeEachDialect } from '../../../test-support/services.js';

describeEachDialect('the history’s page query uses the (owner_id, id) index', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-history-index-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await openDatabase({
      dataDir,
      migrate: true,
      ...(dialect === 'postgres' ? { databaseUrl: postgresUrl, postgresSchema: schema, poolSize: 1 } : {}),
    });
  });
  afterAll(async () => {
    await handle?.close();
    if (dialect === 'postgres') await dropPostgresSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const table of ['otp_requests', 'permission_requests'] as const) {
    it(`pages ${table} by owner without sorting`, async () => {
      const page = handle.db
        .selectFrom(`${table} as r` as 'otp_requests as r')
        .innerJoin('agents as a', 'a.id', 'r.agent_id')
        .selectAll('r')
        .select('a.name as agent_name')
        .where('r.owner_id', '=', 'usr_01JD2T6A9C2E5G8J1M4P7R0T3V')
        .where('r.id', '<', 'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N')
        .orderBy('r.id', 'desc')
        .limit(26)
        .compile();
      const plan = await handle.db.connection().execute(async (db) => {
        if (dialect === 'sqlite') {
          const explained = await db.executeQuery<{ detail: string }>({
            ...page,
            sql: `explain query plan ${page.sql}`,
          });
          return explained.rows.map((row) => row.detail).join('\n');
        }
        await sql`set enable_seqscan = off`.execute(db);
        await sql`set enable_sort = off`.execute(db);
        try {
          const explained = await db.executeQuery<{ 'QUERY PLAN': string }>({
            ...page,
            sql: `explain ${page.sql}`,
          });
          return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
        } finally {
          await sql`reset enable_seqscan`.execute(db);
          await sql`reset enable_sort`.execute(db);
        }
      });
      expect(plan).toContain(`${table}_owner_id_idx`);
      expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY|Sort\b/);
    });
  }
});
