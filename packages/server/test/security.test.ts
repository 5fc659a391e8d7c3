import { ensureDefaultOwner } from '@agent-otp/core';
import { encryptOtpPayload, parseAgentPublicKey } from '@agent-otp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

describeEachDialect('tenancy and credential boundaries', (dialect) => {
  let relay: TestRelay;
  let agentA: { id: string; apiKey: string };
  let agentB: { id: string; apiKey: string };
  let requestOfA: string;
  let sourceToken: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    agentA = await relay.createAgent({ name: 'agent-a' });
    agentB = await relay.createAgent({ name: 'agent-b' });
    sourceToken = (await relay.createSource('email')).token;
    const keys = await agentKeyPair();
    const created = await call(relay.url, '/api/v1/otp', {
      token: agentA.apiKey,
      json: { reason: 'A only', filter: { sources: ['email'] }, publicKey: keys.publicKey },
    });
    requestOfA = created.body.id;
  });
  afterAll(() => relay.stop());

  describe("agent B cannot touch agent A's request", () => {
    it.each([
      ['read', 'GET', ''],
      ['wait on', 'GET', '?wait=1'],
      ['stream', 'GET', '/events'],
      ['consume', 'POST', '/consume'],
      ['cancel', 'DELETE', ''],
    ])('cannot %s it (404)', async (_what, method, suffix) => {
      const res = await call(relay.url, `/api/v1/otp/${requestOfA}${suffix}`, {
        method,
        token: agentB.apiKey,
      });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    });
    it('left the request untouched', async () => {
      const res = await call(relay.url, `/api/v1/otp/${requestOfA}`, { token: agentA.apiKey });
      expect(res.body.status).toBe('pending_approval');
    });
  });

  it('refuses an agent key on owner routes: an agent cannot approve', async () => {
    const res = await call(relay.url, `/api/v1/requests/${requestOfA}/approve`, {
      method: 'POST',
      token: agentA.apiKey,
    });
    expect(res.status).toBe(401);
    const list = await call(relay.url, '/api/v1/requests', { token: agentA.apiKey });
    expect(list.status).toBe(401);
  });

  it('refuses a source token on agent routes: a source cannot consume or read', async () => {
    for (const [method, suffix] of [
      ['POST', '/consume'],
      ['GET', ''],
    ] as const) {
      const res = await call(relay.url, `/api/v1/otp/${requestOfA}${suffix}`, { method, token: sourceToken });
      expect(res.status).toBe(401);
    }
  });

  it('refuses an owner token on agent and capture routes', async () => {
    expect(
      (
        await call(relay.url, `/api/v1/otp/${requestOfA}/consume`, {
          method: 'POST',
          token: relay.ownerToken,
        })
      ).status,
    ).toBe(401);
    expect((await call(relay.url, '/api/v1/capture/requests', { token: relay.ownerToken })).status).toBe(401);
  });

  it('refuses missing, malformed and unknown credentials', async () => {
    expect((await call(relay.url, '/api/v1/otp', { json: {} })).status).toBe(401);
    expect(
      (
        await call(relay.url, `/api/v1/otp/${requestOfA}`, {
          headers: { authorization: 'Basic Zm9vOmJhcg==' },
        })
      ).status,
    ).toBe(401);
    const unknown = await call(relay.url, `/api/v1/otp/${requestOfA}`, {
      token: `ak_live_${'x'.repeat(43)}`,
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toMatch(/not valid/);
  });

  it('refuses a revoked key, and a rotated-away key', async () => {
    const doomed = await relay.createAgent({ name: 'doomed' });
    const revoke = await relay.ownerFetch(`/api/v1/agents/${doomed.id}/revoke`, { method: 'POST' });
    expect(revoke.status).toBe(200);
    const res = await call(relay.url, `/api/v1/otp/${requestOfA}`, { token: doomed.apiKey });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/revoked/);

    const rotating = await relay.createAgent({ name: 'rotating' });
    const rotated = await (
      await relay.ownerFetch(`/api/v1/agents/${rotating.id}/rotate-key`, { method: 'POST' })
    ).json();
    expect(rotated.apiKey).toMatch(/^ak_live_/);
    expect(
      (await call(relay.url, '/api/v1/otp/otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N', { token: rotating.apiKey }))
        .status,
    ).toBe(401);
    expect(
      (await call(relay.url, '/api/v1/otp/otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N', { token: rotated.apiKey })).status,
    ).toBe(404);
  });

  it("keeps another owner's sources and decisions away from this owner's requests", async () => {
    const otherOwnerId = 'usr_01JD2W9X3YH4Q7M5RZ8T6KCB2N';
    await relay.ctx.database.db
      .insertInto('users')
      .values({
        id: otherOwnerId,
        email: 'other@example.com',
        password_hash: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    const foreignSource = await relay.createSource('email', otherOwnerId);
    const listed = await call(relay.url, '/api/v1/capture/requests', { token: foreignSource.token });
    expect(listed.body.requests.map((r: { id: string }) => r.id)).not.toContain(requestOfA);
    const row = await relay.ctx.database.db
      .selectFrom('otp_requests')
      .selectAll()
      .where('id', '=', requestOfA)
      .executeTakeFirstOrThrow();
    const key = await parseAgentPublicKey(row.public_key);
    const jwe = await encryptOtpPayload(key.key, key.fingerprint, {
      code: '000000',
      source: 'email',
      sender: 'x@y.z',
      receivedAt: new Date().toISOString(),
      requestId: requestOfA,
    });
    const forged = await call(relay.url, `/api/v1/capture/requests/${requestOfA}/deliver`, {
      token: foreignSource.token,
      json: { encryptedPayload: jwe },
    });
    expect(forged.status).toBe(404);
    // The default owner is still the one the CLI acts for.
    await expect(ensureDefaultOwner(relay.ctx)).rejects.toThrow(/several owners/);
  });

  it('refuses deliveries not encrypted to the request key, and from the wrong source kind', async () => {
    const other = await agentKeyPair();
    const wrongKey = await parseAgentPublicKey(other.publicKey);
    const jwe = await encryptOtpPayload(wrongKey.key, wrongKey.fingerprint, {
      code: '111111',
      source: 'email',
      sender: 'x@y.z',
      receivedAt: new Date().toISOString(),
      requestId: requestOfA,
    });
    const misaddressed = await call(relay.url, `/api/v1/capture/requests/${requestOfA}/deliver`, {
      token: sourceToken,
      json: { encryptedPayload: jwe },
    });
    expect(misaddressed.status).toBe(400);
    expect(misaddressed.body.error.message).toMatch(/kid mismatch/);
    const sms = await relay.createSource('sms');
    const wrongKind = await call(relay.url, `/api/v1/capture/requests/${requestOfA}/deliver`, {
      token: sms.token,
      json: { encryptedPayload: jwe },
    });
    expect(wrongKind.status).toBe(403);
  });
});
