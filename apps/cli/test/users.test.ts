import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { call, eventually } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';

const PASSWORD = 'a passphrase long enough';

describeEachDialect('dashboard owners from the command line', (dialect) => {
  let cli: CliEnvironment;

  beforeAll(async () => {
    cli = await createCliEnvironment(dialect);
  }, 60_000);
  afterAll(() => cli?.cleanup());

  it('serve prints a one-time setup link while no owner has a password; it claims the CLI owner', async () => {
    const server = await cli.serve();
    try {
      expect((await cli.run(['agent:create', '--name', 'made-before-setup'])).code).toBe(0);
      const token = await eventually(
        async () => /\/setup\?token=(st_[A-Za-z0-9]+)/.exec(server.output())?.[1],
      );
      expect(server.output()).not.toMatch(/"level"[^\n]*st_/); // the link goes to the terminal, never the log
      const res = await call(server.url, '/api/v1/setup', {
        json: { token, email: 'me@example.com', password: PASSWORD },
      });
      expect(res.status).toBe(201);
      expect(
        (
          await call(server.url, '/api/v1/setup', {
            json: { token, email: 'x@example.com', password: PASSWORD },
          })
        ).status,
      ).toBe(409); // already set up: sign in
    } finally {
      await server.stop();
    }
    // Claimed, not duplicated: the agent made before setup belongs to the new account, and the CLI still finds "the" owner.
    const listed = await cli.run(['agent:list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('made-before-setup');
    const again = await cli.serve();
    try {
      expect(again.output()).not.toContain('/setup?token=');
    } finally {
      await again.stop();
    }
  }, 60_000);

  it('user:create names a bad email or a short password and exits non-zero', async () => {
    const email = await cli.run(['user:create', '--email', 'not-an-email', '--password', PASSWORD]);
    expect(email.code).not.toBe(0);
    expect(email.stderr).toContain('email');
    const short = await cli.run(['user:create', '--email', 'two@example.com', '--password', 'short']);
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain('at least 12 characters');
    const taken = await cli.run(['user:create', '--email', 'me@example.com', '--password', PASSWORD]);
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toContain('already exists');
  });

  it('user:create adds an owner; agent:create then needs --user', async () => {
    const created = await cli.run([
      'user:create',
      '--email',
      'Two@Example.com',
      '--password',
      PASSWORD,
      '--json',
    ]);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ email: 'two@example.com', claimed: false });
    const ambiguous = await cli.run(['agent:create', '--name', 'whose']);
    expect(ambiguous.code).not.toBe(0);
    expect(ambiguous.stderr).toContain('--user');
    const named = await cli.run(['agent:create', '--name', 'for-two', '--user', 'two@example.com', '--json']);
    expect(named.code).toBe(0);
    const mine = await cli.run(['agent:list', '--user', 'me@example.com']);
    expect(mine.stdout).not.toContain('for-two');
  });
});

describeEachDialect('user:create on a fresh install', (dialect) => {
  let cli: CliEnvironment;
  beforeAll(async () => {
    cli = await createCliEnvironment(dialect);
  }, 60_000);
  afterAll(() => cli?.cleanup());

  it('creates the first owner, after which serve prints no setup link and the password signs in', async () => {
    const created = await cli.run(['user:create', '--email', 'first@example.com', '--password', PASSWORD]);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('first@example.com');
    const server = await cli.serve();
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(server.output()).not.toContain('/setup?token=');
      const res = await call(server.url, '/api/v1/session', {
        json: { email: 'first@example.com', password: PASSWORD },
      });
      expect(res.status).toBe(200);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
