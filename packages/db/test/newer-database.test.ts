// Issue 17 (downgrade): an older release started on a database that a newer one migrated
// refuses to open it and says why, instead of Kysely's "corrupted migrations".
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { describeEachDialect, postgresUrl } from '../../../test-support/services.js';
import { knownMigrationNames, type OpenDatabaseOptions, openDatabase } from '../src/index.js';

describeEachDialect('a database migrated by a newer release', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-newer-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const options: OpenDatabaseOptions =
    dialect === 'postgres' ? { databaseUrl: postgresUrl, dataDir, postgresSchema: schema } : { dataDir };

  afterEach(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (dialect !== 'postgres') return;
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('is refused at start-up with the unknown migration named', async () => {
    const handle = await openDatabase(options);
    try {
      const executed = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        handle.db,
      );
      expect(executed.rows.map((row) => row.name)).toEqual(knownMigrationNames());
      await sql`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', ${new Date().toISOString()})`.execute(
        handle.db,
      );
    } finally {
      await handle.close();
    }
    await expect(openDatabase(options)).rejects.toThrow(
      /migrated by a newer release of Agent OTP \(it has run migration 9999-from-the-future.*docs\/operations\.md#downgrading/,
    );
  });
});
