import { decryptOtpPayloadFor } from '@agent-otp/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

describeEachDialect('OTP lifecycle over HTTP', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent({ name: 'lifecycle-agent' }));
  });
  afterAll(() => relay.stop());

  async function createRequest(publicKey: string, extra: Record<string, unknown> = {}) {
    const res = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: {
        reason: 'Sign up at Acme',
        expectedSender: 'Acme',
        filter: { sources: ['email'], senderPattern: '*@acme.com' },
        publicKey,
        ...extra,
      },
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  const capture = (text: string, from = 'Acme <noreply@acme.com>') =>
    relay.ownerFetch('/api/v1/owner/capture', {
      method: 'POST',
      body: JSON.stringify({ source: 'email', from, subject: 'Your verification code', text }),
    });

  it('creates, approves, captures and hands the code out exactly once', async () => {
    const keys = await agentKeyPair();
    const created = await createRequest(keys.publicKey);
    expect(created).toMatchObject({
      status: 'pending_approval',
      reason: 'Sign up at Acme',
      expectedSender: 'Acme',
    });
    expect(created.id).toMatch(/^otp_/);
    expect(created.approvalUrl).toContain(`/approvals/${created.id}`);
    expect(created.keyFingerprint).toMatch(/^[0-9a-f]{64}$/);

    const approve = await relay.ownerFetch(`/api/v1/requests/${created.id}/approve`, { method: 'POST' });
    expect(approve.status).toBe(200);
    expect((await approve.json()).status).toBe('approved');

    const captured = await (await capture('Your Acme verification code is 847291.')).json();
    expect(captured).toMatchObject({ matched: true, requestId: created.id, status: 'otp_received' });

    const consumed = await call(relay.url, `/api/v1/otp/${created.id}/consume`, {
      method: 'POST',
      token: apiKey,
    });
    expect(consumed.status).toBe(200);
    expect(consumed.headers.get('cache-control')).toBe('no-store');
    const payload = await decryptOtpPayloadFor(consumed.body.encryptedPayload, keys.privateKey, created.id);
    expect(payload).toMatchObject({
      code: '847291',
      source: 'email',
      sender: 'noreply@acme.com',
      requestId: created.id,
    });

    const again = await call(relay.url, `/api/v1/otp/${created.id}/consume`, {
      method: 'POST',
      token: apiKey,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('OTP_ALREADY_CONSUMED');

    const row = await relay.ctx.database.db
      .selectFrom('otp_requests')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('consumed');
    expect(row.encrypted_payload).toBeNull();
  });

  it('lets exactly one of 50 concurrent consumes succeed', async () => {
    const keys = await agentKeyPair();
    const created = await createRequest(keys.publicKey);
    await relay.ownerFetch(`/api/v1/requests/${created.id}/approve`, { method: 'POST' });
    expect((await (await capture('Code: 555123')).json()).status).toBe('otp_received');
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(relay.url, `/api/v1/otp/${created.id}/consume`, { method: 'POST', token: apiKey }),
      ),
    );
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(
      results.filter((r) => r.status === 409 && r.body.error.code === 'OTP_ALREADY_CONSUMED'),
    ).toHaveLength(49);
    const payload = await decryptOtpPayloadFor(
      winners[0]!.body.encryptedPayload,
      keys.privateKey,
      created.id,
    );
    expect(payload.code).toBe('555123');
  });

  it('holds a code that arrives before approval and releases it on approval', async () => {
    const keys = await agentKeyPair();
    const created = await createRequest(keys.publicKey);
    const held = await (await capture('Your code is 314159')).json();
    expect(held).toMatchObject({ matched: true, requestId: created.id, status: 'pending_approval' });

    const early = await call(relay.url, `/api/v1/otp/${created.id}/consume`, {
      method: 'POST',
      token: apiKey,
    });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('OTP_NOT_READY');
    const status = await call(relay.url, `/api/v1/otp/${created.id}`, { token: apiKey });
    expect(status.body.status).toBe('pending_approval');

    const approved = await (
      await relay.ownerFetch(`/api/v1/requests/${created.id}/approve`, { method: 'POST' })
    ).json();
    expect(approved.status).toBe('otp_received');
    const consumed = await call(relay.url, `/api/v1/otp/${created.id}/consume`, {
      method: 'POST',
      token: apiKey,
    });
    expect(
      (await decryptOtpPayloadFor(consumed.body.encryptedPayload, keys.privateKey, created.id)).code,
    ).toBe('314159');
  });

  it('never releases a held code after a denial, and erases it', async () => {
    const keys = await agentKeyPair();
    const created = await createRequest(keys.publicKey);
    expect((await (await capture('Your code is 271828')).json()).status).toBe('pending_approval');
    const denied = await (
      await relay.ownerFetch(`/api/v1/requests/${created.id}/deny`, { method: 'POST' })
    ).json();
    expect(denied.status).toBe('denied');
    expect(denied.decision).toMatchObject({ outcome: 'denied', by: relay.owner.email, channel: 'cli' });
    const consume = await call(relay.url, `/api/v1/otp/${created.id}/consume`, {
      method: 'POST',
      token: apiKey,
    });
    expect(consume.status).toBe(409);
    expect(consume.body.error.code).toBe('OTP_DENIED');
    const row = await relay.ctx.database.db
      .selectFrom('otp_requests')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.encrypted_payload).toBeNull();
    const secondDecision = await relay.ownerFetch(`/api/v1/requests/${created.id}/approve`, {
      method: 'POST',
    });
    expect(secondDecision.status).toBe(409);
  });

  it('expires overdue requests and erases their ciphertext', async () => {
    const keys = await agentKeyPair();
    const created = await createRequest(keys.publicKey);
    await relay.ownerFetch(`/api/v1/requests/${created.id}/approve`, { method: 'POST' });
    expect((await (await capture('Your code is 161803')).json()).status).toBe('otp_received');
    const before = await relay.ctx.database.db
      .selectFrom('otp_requests')
      .select('encrypted_payload')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(before.encrypted_payload).not.toBeNull();
    // Move the deadline into the past; the sweeper (every 200 ms in tests) must expire it.
    await relay.ctx.database.db
      .updateTable('otp_requests')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', created.id)
      .execute();
    const waited = await call(relay.url, `/api/v1/otp/${created.id}?wait=5`, { token: apiKey });
    expect(waited.body.status).toBe('expired');
    const row = await relay.ctx.database.db
      .selectFrom('otp_requests')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('expired');
    expect(row.encrypted_payload).toBeNull();
    const consume = await call(relay.url, `/api/v1/otp/${created.id}/consume`, {
      method: 'POST',
      token: apiKey,
    });
    expect(consume.status).toBe(410);
    expect(consume.body.error.code).toBe('OTP_EXPIRED');
  });

  it('cancels an open request and erases any held code', async () => {
    const keys = await agentKeyPair();
    const created = await createRequest(keys.publicKey);
    await capture('Your code is 999001');
    const cancelled = await call(relay.url, `/api/v1/otp/${created.id}`, { method: 'DELETE', token: apiKey });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const row = await relay.ctx.database.db
      .selectFrom('otp_requests')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.encrypted_payload).toBeNull();
    const again = await call(relay.url, `/api/v1/otp/${created.id}`, { method: 'DELETE', token: apiKey });
    expect(again.body.error.code).toBe('OTP_CANCELLED');
  });

  it('serves one message to the oldest matching request only, and ignores other senders', async () => {
    const keys = await agentKeyPair();
    const first = await createRequest(keys.publicKey);
    const second = await createRequest(keys.publicKey);
    await relay.ownerFetch(`/api/v1/requests/${first.id}/approve`, { method: 'POST' });
    await relay.ownerFetch(`/api/v1/requests/${second.id}/approve`, { method: 'POST' });
    const stranger = await (await capture('Your code is 123987', 'Evil <noreply@acme.com.evil.io>')).json();
    expect(stranger).toMatchObject({ matched: false, reason: 'no_matching_request' });
    const spoofedName = await (
      await capture('Your code is 123987', '"noreply@acme.com" <attacker@evil.io>')
    ).json();
    expect(spoofedName.matched).toBe(false);
    const served = await (await capture('Your code is 123987')).json();
    expect(served.requestId).toBe(first.id);
    const next = await (await capture('Your code is 765432')).json();
    expect(next.requestId).toBe(second.id);
  });

  it('auto-approves test keys and delivers a synthetic, encrypted code', async () => {
    const { apiKey: testKey } = await relay.createAgent({ name: 'test-agent', test: true });
    const keys = await agentKeyPair();
    const created = await call(relay.url, '/api/v1/otp', {
      token: testKey,
      json: { reason: 'CI run', publicKey: keys.publicKey },
    });
    expect(created.body).toMatchObject({
      status: 'otp_received',
      isTest: true,
      decision: { outcome: 'approved', by: 'test-key' },
    });
    const consumed = await call(relay.url, `/api/v1/otp/${created.body.id}/consume`, {
      method: 'POST',
      token: testKey,
    });
    const payload = await decryptOtpPayloadFor(
      consumed.body.encryptedPayload,
      keys.privateKey,
      created.body.id,
    );
    expect(payload.code).toMatch(/^\d{6}$/);
  });
});
