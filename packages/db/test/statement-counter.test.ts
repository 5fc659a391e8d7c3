// Issue 18: statement counts per lifecycle are pinned by tests and reported by the benchmark
// through test-support/statement-counter; this holds the counter itself to what it claims.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dropPostgresSchema } from '../../../test-support/postgres.js';
import { describeEachDialect, postgresUrl } from '../../../test-support/services.js';
import { countStatements } from '../../../test-support/statement-counter.js';
import { type DatabaseHandle, openDatabase, withTransaction } from '../src/index.js';

// One migrated database per dialect: the tests only read, so they can share it.
describeEachDialect('countStatements', (dialect) => {
  let original: DatabaseHandle;
  let dataDir: string;
  let schema: string | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-counter-'));
    schema = dialect === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
    original = await openDatabase(
      dialect === 'postgres' ? { databaseUrl: postgresUrl, dataDir, postgresSchema: schema! } : { dataDir },
    );
  });
  afterAll(async () => {
    await original.close();
    if (schema) await dropPostgresSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records each statement with its SQL and parameters, in order', async () => {
    const { handle, counter } = countStatements(original);
    await handle.db.selectFrom('users').select('id').where('email', '=', 'a@example.com').execute();
    await sql`select 1`.execute(handle.db);
    expect(counter.count).toBe(2);
    expect(counter.statements[0]?.sql).toMatch(/^select "id" from "users" where "email" = (\?|\$1)$/);
    expect(counter.statements[0]?.parameters).toEqual(['a@example.com']);
    expect(counter.statements[1]?.sql).toBe('select 1');
    counter.reset();
    expect(counter.count).toBe(0);
  });

  it('counts a transaction with its begin and commit on both dialects', async () => {
    const { handle, counter } = countStatements(original);
    const { count, statements } = await counter.measure(() =>
      withTransaction(handle, async (tx) => {
        await tx.selectFrom('users').select('id').execute();
        await tx.selectFrom('agents').select('id').execute();
      }),
    );
    expect(count).toBe(4);
    expect(statements[0]?.sql).toBe(dialect === 'postgres' ? 'begin' : 'begin immediate');
    expect(statements.at(-1)?.sql).toBe('commit');
  });

  it('records a rolled-back transaction, but not the statement that failed', async () => {
    const { handle, counter } = countStatements(original);
    await expect(
      withTransaction(handle, async (tx) => {
        await sql`select 1`.execute(tx);
        await sql`select * from no_such_table`.execute(tx);
      }),
    ).rejects.toThrow(/no_such_table/);
    expect(counter.statements.map((statement) => statement.sql)).toEqual([
      dialect === 'postgres' ? 'begin' : 'begin immediate',
      'select 1',
      'rollback',
    ]);
  });

  it('labels statements with the scope that caused them, async work included, and leaves the rest unlabelled', async () => {
    const { handle, counter } = countStatements(original);
    await counter.scoped('POST /api/v1/otp', async () => {
      await sql`select 1`.execute(handle.db);
      await new Promise((resolve) => setTimeout(resolve, 1));
      await sql`select 2`.execute(handle.db);
    });
    await sql`select 3`.execute(handle.db);
    expect(counter.statements.map((statement) => statement.scope)).toEqual([
      'POST /api/v1/otp',
      'POST /api/v1/otp',
      undefined,
    ]);
  });

  it('leaves the original handle uncounted', async () => {
    const { counter } = countStatements(original);
    await sql`select 1`.execute(original.db);
    expect(counter.count).toBe(0);
  });
});
