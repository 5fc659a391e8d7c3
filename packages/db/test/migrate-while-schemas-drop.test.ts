// Kysely's migrator introspects every schema before it runs, and its query looks objects up
// by name: another relay (or test) dropping its schema during that scan failed our start-up
// with `schema "t_…" does not exist` (seen as a flaky CI failure). The migration now repeats
// that harmless pre-phase. Without the retry this test fails on most runs.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@agent-otp/db';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { describeWithService, postgresAvailable, postgresUrl } from '../../../test-support/services.js';

describeWithService('PostgreSQL', postgresAvailable(), 'migrating while other schemas are dropped', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-migrate-'));
  const schemaName = () => `t_${randomBytes(6).toString('hex')}`;
  const open = (schema: string) =>
    openDatabase({ databaseUrl: postgresUrl, dataDir, postgresSchema: schema, poolSize: 2 });
  const created: string[] = [];
  afterAll(async () => {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    for (const schema of created) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every new schema migrates although others vanish during its introspection', async () => {
    const victims = Array.from({ length: 24 }, schemaName);
    for (const schema of victims) await (await open(schema)).close();
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    const dropping = (async () => {
      for (const schema of victims) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    })();
    const errors: string[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const schema = schemaName();
        created.push(schema);
        try {
          await (await open(schema)).close();
        } catch (error) {
          errors.push((error as Error).message);
        }
      }),
    );
    await dropping;
    await admin.end();
    expect(errors).toEqual([]);
  }, 120_000);
});
