// Issue 17, the CLI: `--version`, `{"error":{"code","message"}}` on stderr under --json,
// one exit status per kind of failure, no new database outside `serve`, and a `pending`
// that names the owners to choose from (AGENT_OTP_USER sets the default).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@agent-otp/shared';
import { CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliEnvironment, type CliResult, createCliEnvironment } from '../../../test-support/cli.js';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { classifyFailure, EXIT } from '../src/exit-codes.js';
import { CliError } from '../src/runtime.js';

const PASSWORD = 'a passphrase long enough';

/** The one JSON error a failing `--json` command prints on stderr, with nothing on stdout. */
function jsonError(result: CliResult): { code: string; message: string } {
  expect(result.stdout).toBe('');
  const parsed = JSON.parse(result.stderr) as { error: { code: string; message: string } };
  expect(Object.keys(parsed.error).sort()).toEqual(['code', 'message']);
  return parsed.error;
}

describe('agent-otp outside an install', () => {
  let cli: CliEnvironment;

  beforeAll(async () => {
    cli = await createCliEnvironment('sqlite');
  });
  afterAll(() => cli?.cleanup());

  it('prints its version, refuses to create a database, and exits 2 on usage errors', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const version = await cli.run(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(manifest.version);

    const database = join(cli.env.DATA_DIR!, 'agent-otp.sqlite');
    const human = await cli.run(['pending']);
    expect(human.code).toBe(EXIT.notFound);
    expect(human.stderr).toContain(database);
    expect(human.stderr).toMatch(/DATA_DIR/);
    expect(human.stderr).toMatch(/DATABASE_URL/);
    const json = await cli.run(['agent:create', '--name', 'nowhere', '--json']);
    expect(json.code).toBe(EXIT.notFound);
    expect(jsonError(json)).toMatchObject({
      code: 'DATABASE_NOT_FOUND',
      message: expect.stringContaining(database),
    });
    expect(existsSync(database)).toBe(false);

    const unknownOption = await cli.run(['pending', '--bogus', '--json']);
    expect(unknownOption.code).toBe(EXIT.usage);
    expect(jsonError(unknownOption)).toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('--bogus'),
    });
    const unknownCommand = await cli.run(['pendng']);
    expect(unknownCommand.code).toBe(EXIT.usage);
    expect(unknownCommand.stderr).toMatch(/unknown command 'pendng'/);
  }, 60_000);

  it('maps every kind of relay failure to its exit status', () => {
    const exit = (error: unknown) => classifyFailure(error).exitCode;
    expect(exit(new AppError('VALIDATION_ERROR', 'bad'))).toBe(EXIT.usage);
    expect(exit(new AppError('NOT_FOUND', 'gone'))).toBe(EXIT.notFound);
    expect(exit(new AppError('OTP_ALREADY_CONSUMED', 'used'))).toBe(EXIT.conflict);
    expect(exit(new CliError('down', 'SERVICE_UNAVAILABLE'))).toBe(EXIT.unreachable);
    expect(exit(new CliError('UNAUTHORIZED: no', 'UNAUTHORIZED'))).toBe(EXIT.auth);
    expect(exit(new AppError('FORBIDDEN', 'not yours'))).toBe(EXIT.auth);
    expect(exit(new AppError('INTERNAL_ERROR', 'boom'))).toBe(EXIT.other);
    expect(exit(new Error('unexpected'))).toBe(EXIT.other);
    expect(exit(new CommanderError(0, 'commander.version', '0.1.0'))).toBe(EXIT.ok);
    expect(classifyFailure(new CliError('AUDIT: broken'))).toMatchObject({ code: 'CLI_ERROR', exitCode: 1 });
  });
});

describeEachDialect('agent-otp exit statuses and JSON errors against a server', (dialect) => {
  let cli: CliEnvironment;
  let server: Awaited<ReturnType<CliEnvironment['serve']>>;

  beforeAll(async () => {
    cli = await createCliEnvironment(dialect);
    server = await cli.serve();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await cli?.cleanup();
  });

  it('answers not found, conflict and unreachable with their own status and JSON error', async () => {
    const agent = JSON.parse((await cli.run(['agent:create', '--name', 'basics', '--json'])).stdout);
    const missing = await cli.run(['approve', 'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N', '--json']);
    expect(missing.code).toBe(EXIT.notFound);
    expect(jsonError(missing).code).toBe('NOT_FOUND');

    const { publicKey } = await agentKeyPair();
    const created = await call(server.url, '/api/v1/otp', {
      token: agent.apiKey,
      json: { reason: 'exit statuses', publicKey },
    });
    expect((await cli.run(['deny', created.body.id])).code).toBe(0);
    const again = await cli.run(['approve', created.body.id, '--json']);
    expect(again.code).toBe(EXIT.conflict);
    expect(jsonError(again)).toMatchObject({ code: 'OTP_DENIED', message: expect.stringMatching(/denied/i) });

    const down = await cli.run(['approve', created.body.id, '--url', 'http://127.0.0.1:9', '--json']);
    expect(down.code).toBe(EXIT.unreachable);
    expect(jsonError(down)).toMatchObject({
      code: 'SERVER_UNREACHABLE',
      message: expect.stringContaining('http://127.0.0.1:9'),
    });
  }, 60_000);

  it('pending names the owners once there are several, and AGENT_OTP_USER picks one', async () => {
    // The first account claims the CLI's owner@localhost (and its agent); the second is new.
    for (const email of ['first@example.com', 'second@example.com'])
      expect((await cli.run(['user:create', '--email', email, '--password', PASSWORD])).code).toBe(0);
    const ambiguous = await cli.run(['pending', '--json']);
    expect(ambiguous.code).toBe(EXIT.conflict);
    const error = jsonError(ambiguous);
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('first@example.com');
    expect(error.message).toContain('second@example.com');
    expect(error.message).toContain('AGENT_OTP_USER');

    cli.env.AGENT_OTP_USER = 'second@example.com';
    try {
      const chosen = await cli.run(['pending']);
      expect(chosen.code).toBe(0);
      expect(chosen.stdout).toContain('Nothing is waiting');
      // --user still wins over the default.
      const named = await cli.run(['agent:list', '--user', 'first@example.com']);
      expect(named.stdout).toContain('basics');
      const unknown = await cli.run(['pending', '--user', 'nobody@example.com']);
      expect(unknown.code).toBe(EXIT.notFound);
    } finally {
      delete cli.env.AGENT_OTP_USER;
    }
  }, 60_000);
});
