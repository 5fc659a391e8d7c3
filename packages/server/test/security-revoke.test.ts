// Issue 9 item 8: revoking an agent left its open requests live, still listed to capture
// sources and absorbing codes. Revocation now cancels them in the same transaction.
import { authenticateApiKey, createOtpRequest, createPermissionRequest } from '@agent-otp/core';
import { AppError, encryptOtpPayload, parseAgentPublicKey } from '@agent-otp/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

describeEachDialect('issue 9 item 8: revoking an agent closes what it had open', (dialect) => {
  let relay: TestRelay;
  let source: { token: string };
  let keys: Awaited<ReturnType<typeof agentKeyPair>>;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    source = await relay.createSource('email');
    keys = await agentKeyPair();
  });
  afterAll(() => relay.stop());

  const createOtp = async (apiKey: string) => {
    const res = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'sign in', filter: { sources: ['email'] }, publicKey: keys.publicKey },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  it('cancels pending, approved and code-holding requests, wakes waiters, refuses deliveries', async () => {
    const agent = await relay.createAgent({ name: 'to-be-revoked' });
    const bystander = await relay.createAgent({ name: 'bystander' });
    const pending = await createOtp(agent.apiKey);
    const approved = await createOtp(agent.apiKey);
    const holding = await createOtp(agent.apiKey);
    const other = await createOtp(bystander.apiKey);
    expect((await relay.ownerFetch(`/api/v1/requests/${approved}/approve`, { method: 'POST' })).status).toBe(
      200,
    );
    const key = await parseAgentPublicKey(keys.publicKey);
    const jwe = await encryptOtpPayload(key.key, key.fingerprint, {
      code: '123456',
      source: 'email',
      sender: 'noreply@acme.test',
      receivedAt: new Date().toISOString(),
      requestId: holding,
    });
    const held = await call(relay.url, `/api/v1/capture/requests/${holding}/deliver`, {
      token: source.token,
      json: { encryptedPayload: jwe },
    });
    expect(held.status).toBe(200);
    const permission = await call(relay.url, '/api/v1/permissions/request', {
      token: agent.apiKey,
      json: { action: 'gmail.send', resource: 'email:client@example.com' },
    });
    expect(permission.status).toBe(201);

    // The agent is waiting on its pending request when the owner revokes it.
    const waiting = call(relay.url, `/api/v1/otp/${pending}?wait=20`, { token: agent.apiKey });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const revoked = await relay.ownerFetch(`/api/v1/agents/${agent.id}/revoke`, { method: 'POST' });
    expect(revoked.status).toBe(200);
    const woke = await waiting;
    expect(woke.status).toBe(200);
    expect(woke.body.status).toBe('cancelled');

    for (const id of [pending, approved, holding]) {
      const res = await relay.ownerFetch(`/api/v1/requests/${id}`);
      const body = (await res.json()) as { status: string };
      expect(body.status, id).toBe('cancelled');
    }
    const row = await relay.ctx.database.db
      .selectFrom('otp_requests')
      .select(['encrypted_payload'])
      .where('id', '=', holding)
      .executeTakeFirstOrThrow();
    expect(row.encrypted_payload).toBeNull();
    const perm = await relay.ctx.database.db
      .selectFrom('permission_requests')
      .select(['status'])
      .where('id', '=', permission.body.id)
      .executeTakeFirstOrThrow();
    expect(perm.status).toBe('cancelled');

    const listed = await call(relay.url, '/api/v1/capture/requests', { token: source.token });
    const ids = (listed.body.requests as Array<{ id: string }>).map((r) => r.id);
    expect(ids).not.toContain(pending);
    expect(ids).not.toContain(approved);
    expect(ids).toContain(other);

    const refused = await call(relay.url, `/api/v1/capture/requests/${approved}/deliver`, {
      token: source.token,
      json: {
        encryptedPayload: await encryptOtpPayload(key.key, key.fingerprint, {
          code: '654321',
          source: 'email',
          sender: 'noreply@acme.test',
          receivedAt: new Date().toISOString(),
          requestId: approved,
        }),
      },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('OTP_CANCELLED');

    const audit = await relay.ctx.database.db
      .selectFrom('audit_events')
      .select(['action', 'target_id'])
      .where('action', 'in', ['otp.cancelled', 'permission.cancelled'])
      .execute();
    const cancelledTargets = audit.map((event) => event.target_id);
    for (const id of [pending, approved, holding, permission.body.id]) expect(cancelledTargets).toContain(id);
    // The bystander's request is untouched.
    const stillOpen = await relay.ownerFetch(`/api/v1/requests/${other}`);
    expect(((await stillOpen.json()) as { status: string }).status).toBe('pending_approval');
  });

  it('refuses a create that authenticated just before the revocation committed', async () => {
    const agent = await relay.createAgent({ name: 'racing-revocation' });
    // The key checked out, then the owner revoked the agent before the insert ran.
    const authenticated = await authenticateApiKey(relay.ctx, agent.apiKey);
    expect((await relay.ownerFetch(`/api/v1/agents/${agent.id}/revoke`, { method: 'POST' })).status).toBe(
      200,
    );
    const otp = await createOtpRequest(relay.ctx, authenticated, {
      reason: 'late',
      publicKey: keys.publicKey,
    }).catch((error: unknown) => error);
    expect(otp).toBeInstanceOf(AppError);
    expect((otp as AppError).code).toBe('UNAUTHORIZED');
    const permission = await createPermissionRequest(relay.ctx, authenticated, {
      action: 'gmail.send',
      resource: 'email:client@example.com',
    }).catch((error: unknown) => error);
    expect((permission as AppError).code).toBe('UNAUTHORIZED');
    const left = await relay.ctx.database.db
      .selectFrom('otp_requests')
      .select('id')
      .where('agent_id', '=', agent.id)
      .execute();
    expect(left).toEqual([]);
  });
});
