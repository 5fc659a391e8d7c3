import { decryptOtpPayloadFor } from '@agent-otp/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';

describeEachDialect('the agent-otp command against a running server', (dialect) => {
  let cli: CliEnvironment;
  let server: Awaited<ReturnType<CliEnvironment['serve']>>;
  let agent: { id: string; apiKey: string };

  beforeAll(async () => {
    cli = await createCliEnvironment(dialect);
    server = await cli.serve();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await cli?.cleanup();
  });

  it('creates an agent and prints its key once, as JSON', async () => {
    const result = await cli.run(['agent:create', '--name', 'cli-agent', '--json']);
    expect(result.code).toBe(0);
    agent = JSON.parse(result.stdout);
    expect(agent.id).toMatch(/^agt_/);
    expect(agent.apiKey).toMatch(/^ak_live_[A-Za-z0-9]{43}$/);
    const listed = await cli.run(['agent:list']);
    expect(listed.stdout).toContain('cli-agent');
    expect(listed.stdout).not.toContain(agent.apiKey);
  });

  it('runs a request end to end: pending, approve (waking the agent), capture, consume', async () => {
    const keys = await agentKeyPair();
    const created = await call(server.url, '/api/v1/otp', {
      token: agent.apiKey,
      json: {
        reason: 'Sign up for Acme website',
        expectedSender: 'Acme',
        filter: { sources: ['email'], senderPattern: '*@acme.com' },
        publicKey: keys.publicKey,
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const pending = await cli.run(['pending', '--json']);
    expect(JSON.parse(pending.stdout).map((r: { id: string }) => r.id)).toContain(id);
    const human = await cli.run(['pending']);
    expect(human.stdout).toContain('Sign up for Acme website');
    expect(human.stdout).toContain(created.body.keyFingerprint);
    // One line of risk (issue 15): the agent's first request, so its key is new.
    expect(human.stdout).toContain(
      'risk: elevated (new key: the first request of this agent, with a key never seen before)',
    );

    const started = Date.now();
    const waiting = call(server.url, `/api/v1/otp/${id}?wait=30`, { token: agent.apiKey });
    const approve = await cli.run(['approve', id]);
    expect(approve.code).toBe(0);
    expect(approve.stdout).toContain('approved');
    expect((await waiting).body.status).toBe('approved');
    expect(Date.now() - started).toBeLessThan(15_000);

    const capture = await cli.run([
      'capture',
      '--source',
      'email',
      '--from',
      'noreply@acme.com',
      '--subject',
      'Your verification code',
      '--text',
      'Your code is 847291',
    ]);
    expect(capture.code).toBe(0);
    expect(capture.stdout).toContain('Delivered an encrypted code');
    expect(capture.stdout).not.toContain('847291');

    const consumed = await call(server.url, `/api/v1/otp/${id}/consume`, {
      method: 'POST',
      token: agent.apiKey,
    });
    expect((await decryptOtpPayloadFor(consumed.body.encryptedPayload, keys.privateKey, id)).code).toBe(
      '847291',
    );
  });

  it('denies through the server and reports a second decision as a conflict', async () => {
    const keys = await agentKeyPair();
    const created = await call(server.url, '/api/v1/otp', {
      token: agent.apiKey,
      json: { reason: 'deny me', publicKey: keys.publicKey },
    });
    const deny = await cli.run(['deny', created.body.id]);
    expect(deny.code).toBe(0);
    const status = await call(server.url, `/api/v1/otp/${created.body.id}`, { token: agent.apiKey });
    expect(status.body.status).toBe('denied');
    const again = await cli.run(['approve', created.body.id]);
    expect(again.code).toBe(4); // conflict
    expect(again.stderr).toMatch(/OTP_DENIED/);
  });

  it('creates capture-source tokens, rotates and revokes keys', async () => {
    const source = JSON.parse(
      (await cli.run(['source:create', '--kind', 'sms', '--name', 'Pixel', '--json'])).stdout,
    );
    expect(source.token).toMatch(/^cs_/);
    expect((await call(server.url, '/api/v1/capture/requests', { token: source.token })).status).toBe(200);

    const rotated = JSON.parse((await cli.run(['key:rotate', agent.id, '--json'])).stdout);
    expect((await call(server.url, '/api/v1/capture/requests', { token: agent.apiKey })).status).toBe(401);
    expect(
      (await call(server.url, '/api/v1/otp/otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N', { token: agent.apiKey })).status,
    ).toBe(401);
    expect(
      (await call(server.url, '/api/v1/otp/otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N', { token: rotated.apiKey }))
        .status,
    ).toBe(404);
    expect((await cli.run(['agent:revoke', agent.id])).code).toBe(0);
    expect(
      (await call(server.url, '/api/v1/otp/otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N', { token: rotated.apiKey }))
        .status,
    ).toBe(401);
  });

  it('refuses bad input with a message naming it', async () => {
    const badKind = await cli.run(['source:create', '--kind', 'fax', '--name', 'x']);
    expect(badKind.code).toBe(2); // usage
    expect(badKind.stderr).toMatch(/--kind/);
    const badId = await cli.run(['approve', 'not-an-id']);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toMatch(/not an OTP request ID/);
    const noBody = await cli.run(['capture', '--source', 'email', '--from', 'a@b.c']);
    expect(noBody.code).toBe(2);
    expect(noBody.stderr).toMatch(/--text/);
    const unreachable = await cli.run([
      'approve',
      'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
      '--url',
      'http://127.0.0.1:9',
    ]);
    expect(unreachable.code).toBe(5); // unreachable server
    expect(unreachable.stderr).toMatch(/cannot reach the Agent OTP server/);
  });

  it('verifies the audit chain, and finds the altered row', async () => {
    const ok = await cli.run(['audit:verify']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/intact: \d+ events verified/);
    const json = JSON.parse((await cli.run(['audit:verify', '--json'])).stdout);
    expect(json.ok).toBe(true);

    const { openDatabase } = await import('@agent-otp/db');
    const handle = await openDatabase({ databaseUrl: cli.env.DATABASE_URL, dataDir: cli.env.DATA_DIR! });
    try {
      const row = await handle.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'otp.approved')
        .executeTakeFirstOrThrow();
      await handle.db
        .updateTable('audit_events')
        .set({ channel: 'telegram' })
        .where('id', '=', row.id)
        .execute();
      const broken = await cli.run(['audit:verify']);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(row.id);
      expect(broken.stdout).toMatch(/BROKEN/);
    } finally {
      await handle.close();
    }
  });

  it('stops gracefully on SIGTERM', async () => {
    const code = await server.stop();
    expect(code).toBe(0);
    expect(server.output()).toMatch(/stopping gracefully/);
  });
});
