// Issue 16 in the CLI: mailbox:add (password from a file or stdin, never argv), mailbox:list
// with health, mailbox:test, mailbox:remove through the running server, against real dovecot;
// credentials:rotate-key re-seals the stored passwords.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DovecotServer,
  dovecotAvailable,
  startDovecot,
} from '../../../packages/email/test/support/dovecot.js';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { eventually } from '../../../test-support/http.js';
import { describeWithService } from '../../../test-support/services.js';

describeWithService('dovecot', dovecotAvailable(), 'mailbox commands', () => {
  let cli: CliEnvironment;
  let server: Awaited<ReturnType<CliEnvironment['serve']>>;
  let dovecot: DovecotServer;
  let passwordFile: string;

  beforeAll(async () => {
    dovecot = await startDovecot();
    // dovecot runs on loopback, which owners' mailboxes may reach only when allowed.
    cli = await createCliEnvironment('sqlite', { MAILBOX_ALLOW_PRIVATE: 'true' });
    server = await cli.serve();
    passwordFile = join(cli.env.DATA_DIR as string, 'imap-password');
    writeFileSync(passwordFile, `${dovecot.password}\n`, { mode: 0o600 });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await cli?.cleanup();
    await dovecot?.close();
  });

  const addArgs = (name: string) => [
    'mailbox:add',
    '--name',
    name,
    '--host',
    dovecot.host,
    '--port',
    String(dovecot.port),
    '--tls',
    'none',
    '--login',
    dovecot.user,
  ];

  describe('with a running server', () => {
    it('adds from a password file and from stdin, lists with health, tests, and removes', async () => {
      const fromFile = await cli.run([...addArgs('from file'), '--password-file', passwordFile, '--json']);
      expect(fromFile.code, fromFile.stderr).toBe(0);
      const added = JSON.parse(fromFile.stdout);
      expect(added).toMatchObject({ name: 'from file', hasCredential: true, kind: 'imap' });
      const fromStdin = await cli.run(
        [...addArgs('from stdin'), '--password-file', '-'],
        `${dovecot.password}\n`,
      );
      expect(fromStdin.code, fromStdin.stderr).toBe(0);
      expect(fromStdin.stdout).toMatch(/^Connected from stdin \(mbx_[0-9A-Z]{26}\)/);

      await eventually(async () => {
        const listed = JSON.parse((await cli.run(['mailbox:list', '--json'])).stdout);
        return (
          listed.length === 2 && listed.every((m: { health: { state: string } }) => m.health.state === 'idle')
        );
      }, 20_000);
      const human = await cli.run(['mailbox:list']);
      expect(human.stdout).toContain(
        `${added.id}  from file  imap: ${dovecot.user} at ${dovecot.host}:${dovecot.port} (none), INBOX`,
      );
      expect(human.stdout).toMatch(/idle since .*; last message never; reconnect attempts 0; running on /);

      const tested = await cli.run(['mailbox:test', added.id]);
      expect(tested.code, tested.stderr).toBe(0);
      expect(tested.stdout).toMatch(/ok {3}login/);
      expect(tested.stdout).toMatch(/ok {3}folder/);

      const removed = await cli.run(['mailbox:remove', added.id]);
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stdout).toBe(`Removed ${added.id}; its password is erased.\n`);
      const after = JSON.parse((await cli.run(['mailbox:list', '--json'])).stdout);
      expect(after.map((m: { id: string }) => m.id)).not.toContain(added.id);

      for (const result of [fromFile, fromStdin, human, tested, removed]) {
        expect(result.stdout).not.toContain(dovecot.password);
        expect(result.stderr).not.toContain(dovecot.password);
      }
      expect(server.output()).not.toContain(dovecot.password);
    });

    it('refuses a bad id, a missing server, a remote server without TLS and an unreadable password file', async () => {
      const badId = await cli.run(['mailbox:test', 'mbx_nope']);
      expect(badId.code).not.toBe(0);
      expect(badId.stderr).toContain('mbx_nope is not a mailbox ID (mbx_…)');
      const remote = await cli.run([
        'mailbox:add',
        '--name',
        'remote',
        '--host',
        'imap.example.com',
        '--port',
        '143',
        '--tls',
        'none',
        '--login',
        'me',
        '--password-file',
        passwordFile,
      ]);
      expect(remote.code).not.toBe(0);
      expect(remote.stderr).toMatch(
        /settings\.tls: 'none' would send the password in clear to imap\.example\.com/,
      );
      const missing = await cli.run([
        ...addArgs('x'),
        '--password-file',
        join(cli.env.DATA_DIR as string, 'nothing'),
      ]);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('--password-file: cannot read');
      const preset = await cli.run(['mailbox:add', '--name', 'x', '--preset', 'nowhere', '--login', 'me']);
      expect(preset.stderr).toContain('--preset: no preset nowhere');
    });

    it('credentials:rotate-key re-seals the stored passwords and keeps the old key file', async () => {
      const rotated = await cli.run(['credentials:rotate-key', '--json']);
      expect(rotated.code, rotated.stderr).toBe(0);
      const result = JSON.parse(rotated.stdout);
      expect(result.resealed).toBe(1);
      expect(result.previousKeyFile).toMatch(/credential\.key\.previous-/);
    });
  });

  it('stops with a clear message when the server is not running', async () => {
    await server.stop();
    const unreachable = await cli.run(['mailbox:list']);
    expect(unreachable.code).not.toBe(0);
    expect(unreachable.stderr).toContain('cannot reach the Agent OTP server');
  });
});
