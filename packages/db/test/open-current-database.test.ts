// Issue 17 (a fast CLI start): opening a database that is already current reads whether it is
// current instead of running Kysely's Migrator, and sealing an already sealed audit log reads
// the manifest instead of taking the write lock, so one-shot commands neither pay for the
// Migrator nor queue behind the relay's writes. A database that does need migrating is
// still migrated (migration-upgrade.test.ts) or refused (newer-database.test.ts).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropPostgresSchema } from '../../../test-support/postgres.js';
import { describeEachDialect, postgresUrl } from '../../../test-support/services.js';
import {
  auditKeyFrom,
  knownMigrationNames,
  type OpenDatabaseOptions,
  openDatabase,
  SQLITE_DATABASE_FILE,
  sealAuditLog,
} from '../src/index.js';
import { schemaIsCurrent } from '../src/schema-current.js';

describeEachDialect('opening a database', (dialect) => {
  let dataDir: string;
  let schema: string;
  let options: OpenDatabaseOptions;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-current-'));
    schema = `t_${randomBytes(6).toString('hex')}`;
    options =
      dialect === 'postgres' ? { databaseUrl: postgresUrl, dataDir, postgresSchema: schema } : { dataDir };
  });
  afterEach(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (dialect === 'postgres') await dropPostgresSchema(schema);
  });

  it('tells a current schema from a new, an older and a newer one', async () => {
    const fresh = await openDatabase({ ...options, migrate: false });
    try {
      expect(await schemaIsCurrent(fresh.db)).toBe(false);
    } finally {
      await fresh.close();
    }
    const handle = await openDatabase(options);
    try {
      expect(await schemaIsCurrent(handle.db)).toBe(true);
      const last = knownMigrationNames().at(-1)!;
      await sql`delete from kysely_migration where name = ${last}`.execute(handle.db);
      expect(await schemaIsCurrent(handle.db)).toBe(false);
      await sql`insert into kysely_migration (name, timestamp) values (${last}, ${new Date().toISOString()})`.execute(
        handle.db,
      );
      await sql`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', ${new Date().toISOString()})`.execute(
        handle.db,
      );
      expect(await schemaIsCurrent(handle.db)).toBe(false);
    } finally {
      await handle.close();
    }
  });

  it('does not run the Migrator on a current database', async () => {
    const first = await openDatabase(options);
    // The Migrator creates its lock table whenever it runs; gone, it shows whether it ran.
    await sql`drop table kysely_migration_lock`.execute(first.db);
    await first.close();
    const again = await openDatabase(options);
    try {
      const lockTable = await sql`select 1 from kysely_migration_lock`.execute(again.db).then(
        () => 'present',
        () => 'absent',
      );
      expect(lockTable).toBe('absent');
    } finally {
      await again.close();
    }
  });
});

describe('sealing an already sealed audit log (SQLite)', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-sealed-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers while another process holds the write lock, and still refuses another key', async () => {
    const key = auditKeyFrom(randomBytes(32).toString('hex'));
    const handle = await openDatabase({ dataDir });
    const writer = new SQLite(join(dataDir, SQLITE_DATABASE_FILE));
    try {
      expect((await sealAuditLog(handle, key)).status).toBe('adopted');
      // As the relay mid-write: before, this waited out busy_timeout (5 s) and failed.
      writer.exec('begin immediate');
      expect(await sealAuditLog(handle, key)).toEqual({ status: 'sealed' });
      const other = auditKeyFrom(randomBytes(32).toString('hex'));
      expect(await sealAuditLog(handle, other)).toEqual({ status: 'other-key', keyId: key.id });
    } finally {
      writer.close();
      await handle.close();
    }
  });
});
