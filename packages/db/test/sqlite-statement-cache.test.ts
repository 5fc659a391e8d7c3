// Issue 18: Kysely prepared every SQLite query anew (~30% of a lifecycle's CPU in prepare and
// the driver); the dialect is now given a database whose `prepare` reuses statements by SQL.
import SQLite from 'better-sqlite3';
import { type Generated, Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheStatements } from '../src/sqlite-statement-cache.js';

interface Tables {
  notes: { id: Generated<number>; body: string };
}

let open: SQLite.Database[] = [];
afterEach(() => {
  for (const database of open) if (database.open) database.close();
  open = [];
});

function memoryDatabase() {
  const database = new SQLite(':memory:');
  open.push(database);
  database.exec('create table notes (id integer primary key, body text not null)');
  return database;
}

describe('cacheStatements', () => {
  it('hands back the statement already prepared for the same SQL, and a new one for other SQL', () => {
    const cached = cacheStatements(memoryDatabase());
    const first = cached.prepare('select * from notes');
    expect(cached.prepare('select * from notes')).toBe(first);
    expect(cached.prepare('select id from notes')).not.toBe(first);
    expect(cached.cachedStatements).toBe(2);
  });

  it('keeps at most `capacity` statements, dropping the least recently used', () => {
    const cached = cacheStatements(memoryDatabase(), 2);
    const a = cached.prepare('select 1');
    const b = cached.prepare('select 2');
    expect(cached.prepare('select 1')).toBe(a);
    cached.prepare('select 3');
    expect(cached.cachedStatements).toBe(2);
    expect(cached.prepare('select 1')).toBe(a);
    expect(cached.prepare('select 2')).not.toBe(b);
  });

  it('never hands out a statement that is still iterating', () => {
    const database = memoryDatabase();
    database.prepare('insert into notes (body) values (?), (?)').run('a', 'b');
    const cached = cacheStatements(database);
    const streaming = cached.prepare('select body from notes order by id');
    const rows = streaming.iterate([]);
    expect(rows.next().value).toEqual({ body: 'a' });
    const other = cached.prepare('select body from notes order by id');
    expect(other).not.toBe(streaming);
    expect(other.all([])).toEqual([{ body: 'a' }, { body: 'b' }]);
    expect(rows.next().value).toEqual({ body: 'b' });
    rows.return?.();
    expect(cached.prepare('select body from notes order by id')).toBe(streaming);
  });

  it('tells readers from writers as better-sqlite3 does, so Kysely runs each the right way', async () => {
    const db = new Kysely<Tables>({
      dialect: new SqliteDialect({ database: cacheStatements(memoryDatabase()) }),
    });
    for (const body of ['one', 'two']) {
      const inserted = await db.insertInto('notes').values({ body }).executeTakeFirstOrThrow();
      expect(inserted.numInsertedOrUpdatedRows).toBe(1n);
    }
    const returned = await db
      .updateTable('notes')
      .set({ body: 'three' })
      .where('id', '=', 2)
      .returning('body')
      .execute();
    expect(returned).toEqual([{ body: 'three' }]);
    expect(await db.selectFrom('notes').select('body').orderBy('id').execute()).toEqual([
      { body: 'one' },
      { body: 'three' },
    ]);
    await db.destroy();
  });

  it('reuses statements across transactions, committed and rolled back, with nothing left open between them', async () => {
    const database = memoryDatabase();
    const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: cacheStatements(database) }) });
    const insertIn = async (body: string, outcome: 'commit' | 'rollback') =>
      db.connection().execute(async (connection) => {
        await sql`begin immediate`.execute(connection);
        await connection.insertInto('notes').values({ body }).execute();
        await sql.raw(outcome).execute(connection);
      });
    await insertIn('kept', 'commit');
    await insertIn('dropped', 'rollback');
    await insertIn('kept too', 'commit');
    await expect(
      db.transaction().execute(async (tx) => {
        await tx.insertInto('notes').values({ body: 'thrown away' }).execute();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(database.inTransaction).toBe(false);
    expect(await db.selectFrom('notes').select('body').orderBy('id').execute()).toEqual([
      { body: 'kept' },
      { body: 'kept too' },
    ]);
    await db.destroy();
  });

  it('follows schema changes: a cached statement sees a column added after it was prepared', () => {
    const database = memoryDatabase();
    const cached = cacheStatements(database);
    database.prepare("insert into notes (body) values ('x')").run();
    expect(cached.prepare('select * from notes').all([])).toEqual([{ id: 1, body: 'x' }]);
    database.exec("alter table notes add column tag text not null default 't'");
    expect(cached.prepare('select * from notes').all([])).toEqual([{ id: 1, body: 'x', tag: 't' }]);
  });

  it('closes the database with the cache', () => {
    const database = memoryDatabase();
    const cached = cacheStatements(database);
    cached.prepare('select 1');
    cached.close();
    expect(database.open).toBe(false);
    expect(cached.cachedStatements).toBe(0);
  });
});
