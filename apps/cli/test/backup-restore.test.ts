// Issue 17 (backup and upgrade): `agent-otp backup` copies the SQLite database while the
// relay keeps writing, `agent-otp restore` puts a copy back (checked, never over a database
// in use, keeping the replaced file), and PostgreSQL installs are pointed to pg_dump.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@agent-otp/db';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, type CliEnvironment, type CliResult, createCliEnvironment } from '../../../test-support/cli.js';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';

const DATABASE_FILE = 'agent-otp.sqlite';

function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function agentNames(databasePath: string): string[] {
  const database = new SQLite(databasePath, { readonly: true });
  try {
    return (database.prepare('select name from agents order by name').all() as { name: string }[]).map(
      (row) => row.name,
    );
  } finally {
    database.close();
  }
}

describe('agent-otp backup during a write load [sqlite]', () => {
  let relay: TestRelay;
  const scratch = mkdtempSync(join(tmpdir(), 'agent-otp-backup-'));

  beforeAll(async () => {
    // Approved requests stay open until a code arrives: room for the whole load.
    relay = await startTestRelay('sqlite', { env: { OPEN_REQUESTS_PER_AGENT: '10000' } });
  });
  afterAll(async () => {
    await relay?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('restores to a database that passes audit:verify and holds every request acknowledged before it began', async () => {
    const { apiKey } = await relay.createAgent({ name: 'loaded' });
    const { publicKey } = await agentKeyPair();
    const acknowledged: string[] = [];
    let running = true;
    const load = (async () => {
      while (running) {
        const created = await call(relay.url, '/api/v1/otp', {
          token: apiKey,
          json: { reason: `load ${acknowledged.length}`, publicKey },
        });
        expect(created.status).toBe(201);
        const approved = await relay.ownerFetch(`/api/v1/requests/${created.body.id}/approve`, {
          method: 'POST',
        });
        expect(approved.status).toBe(200);
        acknowledged.push(created.body.id);
      }
    })();
    // A failure inside the loop is reported where the loop is awaited, below.
    load.catch(() => undefined);
    const backupPath = join(scratch, 'during-load.sqlite');
    // Some requests are in before the backup starts, and the loop keeps writing throughout.
    while (acknowledged.length < 5) await new Promise((resolve) => setTimeout(resolve, 20));
    const before = [...acknowledged];
    const backup = await runCli(['backup', backupPath, '--json'], { DATA_DIR: relay.dataDir });
    const duringBackup = acknowledged.length - before.length;
    running = false;
    await load;
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({ backup: backupPath, pages: expect.any(Number) });
    expect(statSync(backupPath).mode & 0o777).toBe(0o600);
    expect(duringBackup).toBeGreaterThan(0);

    const restoredDir = join(scratch, 'restored');
    copyFileSync(join(relay.dataDir, 'audit.key'), join(scratch, 'audit.key'));
    const env = { DATA_DIR: restoredDir, AUDIT_KEY_FILE: join(scratch, 'audit.key') };
    const restored = await runCli(['restore', backupPath, '--json'], env);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ keptAs: null });
    expect(statSync(join(restoredDir, DATABASE_FILE)).mode & 0o777).toBe(0o600);

    const verified = await runCli(['audit:verify', '--json'], env);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, brokenAt: null });

    const handle = await openDatabase({ dataDir: restoredDir });
    try {
      const rows = await handle.db.selectFrom('otp_requests').select(['id', 'status']).execute();
      const status = new Map(rows.map((row) => [row.id, row.status]));
      for (const id of before) expect(status.get(id)).toBe('approved');
      // Nothing in the copy that the relay did not acknowledge by the end of the load.
      for (const id of status.keys()) expect(acknowledged).toContain(id);
    } finally {
      await handle.close();
    }
  }, 120_000); // process starts on a shared machine, not a measure of anything
});

describe('agent-otp backup and restore [sqlite]', () => {
  let cli: CliEnvironment;
  let scratch: string;
  let databasePath: string;

  beforeAll(async () => {
    cli = await createCliEnvironment('sqlite');
    scratch = mkdtempSync(join(tmpdir(), 'agent-otp-restore-'));
    databasePath = join(cli.env.DATA_DIR!, DATABASE_FILE);
    // Only `serve` creates the database; the CLI commands below refuse to.
    await (await cli.serve()).stop();
    expect((await cli.run(['agent:create', '--name', 'before-backup', '--json'])).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await cli?.cleanup();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('refuses to overwrite an existing file unless --force', async () => {
    const path = join(scratch, 'existing.sqlite');
    expect((await cli.run(['backup', path])).code).toBe(0);
    const first = readFileSync(path);
    const refused = await cli.run(['backup', path]);
    expect(refused.code).toBe(4); // conflict
    expect(refused.stderr).toMatch(/already exists.*--force/);
    expect(readFileSync(path).equals(first)).toBe(true);
    expect(readdirSync(scratch).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    expect((await cli.run(['agent:create', '--name', 'forced', '--json'])).code).toBe(0);
    const forced = await cli.run(['backup', path, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/audit\.key/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(agentNames(path)).toContain('forced');
  }, 60_000);

  it('round trip: refuses a database in use, restores the backup, keeps the replaced file', async () => {
    const backupPath = join(scratch, 'round-trip.sqlite');
    expect((await cli.run(['backup', backupPath])).code).toBe(0);
    expect((await cli.run(['agent:create', '--name', 'after-backup', '--json'])).code).toBe(0);

    const server = await cli.serve();
    try {
      const inUse = await cli.run(['restore', backupPath]);
      expect(inUse.code).toBe(4); // conflict
      expect(inUse.stderr).toMatch(/in use.*stop the relay/);
      expect(agentNames(databasePath)).toContain('after-backup');
    } finally {
      await server.stop();
    }

    const restored = await cli.run(['restore', backupPath, '--json']);
    expect(restored.code).toBe(0);
    const { keptAs } = JSON.parse(restored.stdout);
    expect(keptAs).toMatch(new RegExp(`^${databasePath}\\.before-restore-\\d{4}-\\d{2}-\\d{2}T`));
    expect(agentNames(keptAs)).toContain('after-backup');
    expect(statSync(keptAs).mode & 0o777).toBe(0o600);

    const listed = await cli.run(['agent:list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('before-backup');
    expect(listed.stdout).not.toContain('after-backup');
    expect((await cli.run(['audit:verify'])).code).toBe(0);
  }, 120_000);

  it('refuses a file that is not an Agent OTP database, or one from a newer release', async () => {
    const stranger = join(scratch, 'stranger.sqlite');
    const other = new SQLite(stranger);
    other.exec('create table notes (body text)');
    other.close();
    const refused = await cli.run(['restore', stranger]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/not an Agent OTP database/);
    const missing = await cli.run(['restore', join(scratch, 'nowhere.sqlite')]);
    expect(missing.code).toBe(3); // not found
    expect(missing.stderr).toMatch(/no file at/);

    const newer = join(scratch, 'newer.sqlite');
    expect((await cli.run(['backup', newer])).code).toBe(0);
    const future = new SQLite(newer);
    future
      .prepare('insert into kysely_migration (name, timestamp) values (?, ?)')
      .run('9999-from-the-future', new Date().toISOString());
    future.close();
    const tooNew = await cli.run(['restore', newer]);
    expect(tooNew.code).not.toBe(0);
    expect(tooNew.stderr).toMatch(/newer release.*9999-from-the-future/);
    expect(agentNames(databasePath)).toContain('before-backup');

    // What a downgrade meets: an older release refuses a database a newer one migrated.
    const downgradeDir = mkdtempSync(join(scratch, 'downgrade-'));
    copyFileSync(newer, join(downgradeDir, DATABASE_FILE));
    const started = await runCli(['agent:list'], { DATA_DIR: downgradeDir });
    expect(started.code).not.toBe(0);
    expect(started.stderr).toMatch(/migrated by a newer release.*9999-from-the-future/);
  }, 120_000);
});

describe('agent-otp backup and restore with PostgreSQL', () => {
  it('point to pg_dump and pg_restore instead of touching the database', async () => {
    const env = { DATA_DIR: tmpdir(), DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' };
    const backup = await runCli(['backup', join(tmpdir(), 'never-written.dump')], env);
    expect(backup.code).not.toBe(0);
    expect(backup.stderr).toMatch(/pg_dump.*docs\/operations\.md/);
    expect(existsSync(join(tmpdir(), 'never-written.dump'))).toBe(false);
    const restore = await runCli(['restore', join(tmpdir(), 'never-written.dump')], env);
    expect(restore.code).not.toBe(0);
    expect(restore.stderr).toMatch(/pg_restore.*docs\/operations\.md/);
  }, 60_000);
});
