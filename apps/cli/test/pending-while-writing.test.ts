// Issue 17: `agent-otp pending` only reads. On an installed, current SQLite database it runs
// neither Kysely's Migrator nor the audit sealing transaction, so it answers at once while the
// relay (here, another connection) holds the write lock, instead of waiting out busy_timeout.
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';

let cli: CliEnvironment;

beforeAll(async () => {
  cli = await createCliEnvironment('sqlite');
  const created = await cli.run([
    'user:create',
    '--email',
    'owner@example.com',
    '--password',
    'a long passphrase',
  ]);
  expect(created.code).toBe(0);
  // The first database command seals the audit log; every later one finds it sealed.
  expect((await cli.run(['pending'])).code).toBe(0);
}, 60_000);
afterAll(async () => cli?.cleanup());

it('lists pending requests while another process holds the write lock', async () => {
  const writer = new SQLite(join(cli.env.DATA_DIR!, 'agent-otp.sqlite'));
  try {
    writer.exec('begin immediate');
    const result = await cli.run(['pending', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  } finally {
    writer.close();
  }
}, 60_000);
