// Issue 17 (newcomer papercuts): running on another port is one setting. With only
// AGENT_OTP_URL set (no PORT), `serve` listens on its port and the CLI reaches it without --url.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';

describeEachDialect('one variable for the port: AGENT_OTP_URL', (dialect) => {
  let cli: CliEnvironment;
  let server: Awaited<ReturnType<CliEnvironment['serve']>>;
  let url: string;

  beforeAll(async () => {
    cli = await createCliEnvironment(dialect);
    // The free port the environment picked, now named only by AGENT_OTP_URL.
    url = `http://127.0.0.1:${cli.env.PORT}`;
    delete cli.env.PORT;
    cli.env.AGENT_OTP_URL = url;
    server = await cli.serve();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await cli?.cleanup();
  });

  it('serve listens on the URL’s port, config:check says where it came from, the CLI needs no --url', async () => {
    expect(server.url).toBe(url);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    const check = await cli.run(['config:check', '--json']);
    expect(check.code).toBe(0);
    const port = (JSON.parse(check.stdout) as { variables: { name: string }[] }).variables.find(
      (entry) => entry.name === 'PORT',
    );
    expect(port).toMatchObject({
      value: new URL(url).port,
      source: 'derived',
      detail: 'from AGENT_OTP_URL (env)',
    });

    const agent = JSON.parse((await cli.run(['agent:create', '--name', 'port-agent', '--json'])).stdout);
    const keys = await agentKeyPair();
    const created = await call(url, '/api/v1/otp', {
      token: agent.apiKey,
      json: { reason: 'Sign in to Acme', publicKey: keys.publicKey },
    });
    expect(created.status).toBe(201);
    // `deny` goes through the running server (not the database): it found it on its own.
    const deny = await cli.run(['deny', created.body.id]);
    expect(deny.stderr).toBe('');
    expect(deny.code).toBe(0);
    const status = await call(url, `/api/v1/otp/${created.body.id}`, { token: agent.apiKey });
    expect(status.body.status).toBe('denied');
  });
});
