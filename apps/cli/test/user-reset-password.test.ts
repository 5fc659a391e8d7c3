// Issue 15 "Account": `agent-otp user:reset-password` sets an owner's password (from stdin,
// never an argument) and ends their browser sessions; and the CLI's owner token cannot approve
// a high-risk request, which needs a passkey in the dashboard. The real CLI against a real
// relay, both dialects.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { call } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { asBrowser, signIn } from '../../../test-support/session.js';
import { EXIT } from '../src/exit-codes.js';

const EMAIL = 'reset@example.com';
const OLD = 'the old long passphrase';
const NEW = ' a new passphrase, spaces kept ';

describeEachDialect('user:reset-password and high-risk approval from the CLI', (dialect) => {
  let cli: CliEnvironment;
  let server: Awaited<ReturnType<CliEnvironment['serve']>>;

  beforeAll(async () => {
    cli = await createCliEnvironment(dialect);
    expect((await cli.run(['user:create', '--email', EMAIL, '--password', OLD])).code).toBe(0);
    server = await cli.serve();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await cli?.cleanup();
  });

  it('sets the password from stdin, ends the browser sessions and is audited', async () => {
    const { res, cookies } = await signIn(server.url, EMAIL, OLD);
    expect(res.status).toBe(200);
    const reset = await cli.run(
      ['user:reset-password', '--email', EMAIL, '--password-stdin', '--json'],
      `${NEW}\n`,
    );
    expect(reset.code).toBe(0);
    expect(JSON.parse(reset.stdout)).toMatchObject({ email: EMAIL, endedSessions: 1 });
    expect((await asBrowser(server.url, cookies, '/api/v1/session')).status).toBe(401);
    expect((await signIn(server.url, EMAIL, OLD)).res.status).toBe(401);
    const fresh = await signIn(server.url, EMAIL, NEW);
    expect(fresh.res.status).toBe(200);
    const audit = await asBrowser(server.url, fresh.cookies, '/api/v1/audit?limit=50');
    const event = audit.body.events.find((e: { action: string }) => e.action === 'owner.password_reset');
    expect(event).toMatchObject({ channel: 'cli' });
    expect(JSON.stringify(audit.body)).not.toContain(NEW.trim());
  }, 60_000);

  it('refuses a short password, an unknown owner and a password it would have to echo', async () => {
    const short = await cli.run(['user:reset-password', '--email', EMAIL, '--password-stdin'], 'short\n');
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain('at least 12 characters');
    const unknown = await cli.run(
      ['user:reset-password', '--email', 'nobody@example.com', '--password-stdin'],
      `${NEW}\n`,
    );
    expect(unknown.code).toBe(EXIT.notFound);
    // Without --password-stdin and without a terminal there is nowhere safe to read it from.
    const piped = await cli.run(['user:reset-password', '--email', EMAIL], `${NEW}\n`);
    expect(piped.code).toBe(EXIT.usage);
    expect(piped.stderr).toContain('--password-stdin');
    const asArgument = await cli.run(['user:reset-password', '--email', EMAIL, '--password', NEW]);
    expect(asArgument.code).toBe(EXIT.usage);
  }, 60_000);

  it('refuses to approve a high-risk request, pointing at the dashboard; deny still works', async () => {
    const agent = JSON.parse((await cli.run(['agent:create', '--name', 'db-agent', '--json'])).stdout);
    const created = await call(server.url, '/api/v1/permissions/request', {
      token: agent.apiKey,
      json: { action: 'db.drop_table', resource: 'postgres://prod/users' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const approve = await cli.run(['approve', id, '--json']);
    expect(approve.code).toBe(EXIT.auth);
    const error = JSON.parse(approve.stderr).error;
    expect(error.code).toBe('STEP_UP_REQUIRED');
    expect(error.message).toContain(`/approvals/${id}`);
    expect(error.message).toContain('passkey');
    const deny = await cli.run(['deny', id]);
    expect(deny.code).toBe(0);
  }, 60_000);
});
