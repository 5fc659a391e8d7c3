// Issue 18: the key look-up every agent call makes is compiled once and run with each call's
// values. The reused SQL must answer exactly what the query built anew answers, on both
// dialects, inside transactions too, and a query whose values do not map one-to-one onto
// parameters must be refused rather than run with the wrong ones.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dropPostgresSchema } from '../../../test-support/postgres.js';
import { describeEachDialect, postgresUrl } from '../../../test-support/services.js';
import {
  type DatabaseHandle,
  findApiKeyHolder,
  openDatabase,
  type Tx,
  withTransaction,
} from '../src/index.js';
import { queriesByShape, reusableQuery } from '../src/reusable-query.js';

const EMAILS = ['ana@example.com', 'bo@example.com', 'cy@example.com'];

/** A plugin that changes nothing: its presence alone must make the query be built as usual. */
const passThrough: KyselyPlugin = {
  transformQuery: ({ node }) => node,
  transformResult: async ({ result }) => result,
};

describeEachDialect('reusableQuery', (dialect) => {
  let database: DatabaseHandle;
  let dataDir: string;
  let schema: string | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-reusable-'));
    schema = dialect === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
    database = await openDatabase(
      dialect === 'postgres' ? { databaseUrl: postgresUrl, dataDir, postgresSchema: schema! } : { dataDir },
    );
    await database.db
      .insertInto('users')
      .values(
        EMAILS.map((email, index) => ({
          id: `usr_${index}`,
          email,
          created_at: `2026-01-0${index + 1}T00:00:00.000Z`,
        })),
      )
      .execute();
  });
  afterAll(async () => {
    await database.close();
    if (schema) await dropPostgresSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  function countingQuery() {
    let builds = 0;
    const query = reusableQuery((db: Tx, email: string, after: string) => {
      builds += 1;
      // `limit 5` is a parameter the query itself supplies, between the two values.
      return db
        .selectFrom('users')
        .select(['id', 'email'])
        .where('email', '=', email)
        .where('password_hash', 'is', null)
        .where('created_at', '>', after)
        .limit(5);
    });
    return { query, builds: () => builds };
  }

  it('builds once and answers each call with its own values, as the query built anew does', async () => {
    const { query, builds } = countingQuery();
    for (const email of [...EMAILS, 'nobody@example.com']) {
      for (const after of ['2025-12-31T00:00:00.000Z', '2026-01-02T00:00:00.000Z']) {
        const fresh = await database.db
          .selectFrom('users')
          .select(['id', 'email'])
          .where('email', '=', email)
          .where('password_hash', 'is', null)
          .where('created_at', '>', after)
          .limit(5)
          .execute();
        expect(await query(database.db, email, after)).toEqual(fresh);
      }
    }
    expect(builds()).toBe(1);
  });

  it('reuses the compiled SQL inside transactions', async () => {
    const { query, builds } = countingQuery();
    const rows = await withTransaction(database, (tx) =>
      query(tx, 'bo@example.com', '2025-12-31T00:00:00.000Z'),
    );
    expect(rows).toEqual([{ id: 'usr_1', email: 'bo@example.com' }]);
    expect(await query(database.db, 'cy@example.com', '2025-12-31T00:00:00.000Z')).toEqual([
      { id: 'usr_2', email: 'cy@example.com' },
    ]);
    expect(builds()).toBe(1);
  });

  it('builds the query anew on a database with a plugin, which sees every query', async () => {
    const { query, builds } = countingQuery();
    const plugged = database.db.withPlugin(passThrough);
    expect(await query(plugged, 'ana@example.com', '2025-12-31T00:00:00.000Z')).toEqual([
      { id: 'usr_0', email: 'ana@example.com' },
    ]);
    expect(await query(plugged, 'bo@example.com', '2025-12-31T00:00:00.000Z')).toEqual([
      { id: 'usr_1', email: 'bo@example.com' },
    ]);
    expect(builds()).toBe(2);
  });

  it('refuses a query whose value is not exactly one parameter', async () => {
    const twice = reusableQuery((db: Tx, email: string) =>
      db.selectFrom('users').select('id').where('email', '=', email).where('id', '=', email),
    );
    await expect(twice(database.db, 'ana@example.com')).rejects.toThrow(/value 0 becomes 2 parameters/);
    const unused = reusableQuery((db: Tx, _email: string) => db.selectFrom('users').select('id'));
    await expect(unused(database.db, 'ana@example.com')).rejects.toThrow(/value 0 becomes 0 parameters/);
  });

  it('finds an API key holder by hash as before, and nothing for an unknown hash', async () => {
    expect(await findApiKeyHolder(database.db, 'no-such-hash')).toBeUndefined();
  });
});

// The shapes of a statement family (updates by columns set, inserts by columns) are kept in a
// bounded set: a caller making a new shape per call must cost a compile, not memory without end.
it('queriesByShape makes each shape once and drops the oldest past its limit', () => {
  const made: string[] = [];
  const shapes = queriesByShape<string>(2);
  const get = (key: string) =>
    shapes(key, () => {
      made.push(key);
      return `query ${key}`;
    });
  expect([get('a'), get('b'), get('a')]).toEqual(['query a', 'query b', 'query a']);
  expect(made).toEqual(['a', 'b']);
  get('c');
  get('b');
  expect(made).toEqual(['a', 'b', 'c']);
  get('a');
  expect(made).toEqual(['a', 'b', 'c', 'a']);
});
