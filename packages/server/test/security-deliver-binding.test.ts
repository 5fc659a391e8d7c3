// Issue 9 item 12: any source of the owner could burn a request with garbage or with a JWE
// made for another request, and a source retrying its own successful delivery got 409.
// The relay now checks what it can see: a well-formed compact JWE whose protected header
// names this request (`requestId`) and its key (`kid`); a byte-identical re-delivery gets
// the same 200 back.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call, sealCodeFor } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

type Keys = Awaited<ReturnType<typeof agentKeyPair>>;

const b64url = (value: string | Uint8Array) => Buffer.from(value).toString('base64url');

describeEachDialect('issue 9 item 12: deliveries are bound to their request', (dialect) => {
  let relay: TestRelay;
  let keys: Keys;
  let agent: { apiKey: string };
  let source: { token: string };

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    keys = await agentKeyPair();
    agent = await relay.createAgent({ name: 'bound' });
    source = await relay.createSource('email');
  });
  afterAll(() => relay.stop());

  const createRequest = async (publicKey = keys.publicKey) => {
    const res = await call(relay.url, '/api/v1/otp', {
      token: agent.apiKey,
      json: { reason: 'binding', filter: { sources: ['email'] }, publicKey },
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; keyFingerprint: string };
  };
  const seal = (requestId: string, withKeys = keys, code = '482913') =>
    sealCodeFor(withKeys, requestId, code);
  const deliver = (id: string, encryptedPayload: string) =>
    call(relay.url, `/api/v1/capture/requests/${id}/deliver`, {
      token: source.token,
      json: { encryptedPayload },
    });
  const storedPayload = async (id: string) =>
    (
      await relay.ctx.database.db
        .selectFrom('otp_requests')
        .select(['status', 'encrypted_payload'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).encrypted_payload;

  it('puts the request id in the protected header', async () => {
    const jwe = await seal('otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N');
    const header = JSON.parse(Buffer.from(jwe.split('.')[0] ?? '', 'base64url').toString());
    expect(header.requestId).toBe('otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N');
  });

  it('refuses garbage with the right kid and leaves the request open for the real code', async () => {
    const request = await createRequest();
    const header = b64url(
      JSON.stringify({
        alg: 'RSA-OAEP-256',
        enc: 'A256GCM',
        kid: request.keyFingerprint,
        requestId: request.id,
      }),
    );
    const garbage = [
      `${header}.AAAA.AAAA.AAAA.AAAA`,
      `${b64url('{"alg":"none"}')}.a.b.c.d`,
      'eyJ.x.y.z.w',
      `${b64url(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: request.keyFingerprint }))}.${b64url(new Uint8Array(256))}.${b64url(new Uint8Array(12))}.${b64url('x')}.${b64url(new Uint8Array(16))}`,
    ];
    for (const payload of garbage) {
      const res = await deliver(request.id, payload);
      expect(res.status, payload.slice(0, 40)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
    expect(await storedPayload(request.id)).toBeNull();
    const real = await seal(request.id);
    const ok = await deliver(request.id, real);
    expect(ok.status).toBe(200);
    expect(await storedPayload(request.id)).toBe(real);
  });

  it('refuses a JWE made for request A delivered to request B (same key)', async () => {
    const a = await createRequest();
    const b = await createRequest();
    const res = await deliver(b.id, await seal(a.id));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/request/);
    expect(await storedPayload(b.id)).toBeNull();
  });

  it('refuses a JWE made for request A delivered to request B (different key)', async () => {
    const otherKeys = await agentKeyPair();
    const a = await createRequest(otherKeys.publicKey);
    const b = await createRequest();
    const res = await deliver(b.id, await seal(a.id, otherKeys));
    expect(res.status).toBe(400);
    expect(await storedPayload(b.id)).toBeNull();
  });

  it('answers a re-posted identical delivery with the same 200, and a different one with 409', async () => {
    const request = await createRequest();
    const jwe = await seal(request.id);
    const first = await deliver(request.id, jwe);
    expect(first.status).toBe(200);
    const again = await deliver(request.id, jwe);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    await relay.ownerFetch(`/api/v1/requests/${request.id}/approve`, { method: 'POST' });
    const afterApproval = await deliver(request.id, jwe);
    expect(afterApproval.status).toBe(200);
    expect(afterApproval.body.status).toBe('otp_received');
    const different = await deliver(request.id, await seal(request.id, keys, '999999'));
    expect(different.status).toBe(409);
    expect(different.body.error.code).toBe('CONFLICT');
    expect(await storedPayload(request.id)).toBe(jwe);
    const audit = await relay.ctx.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', request.id)
      .where('action', '=', 'otp.code_delivered')
      .execute();
    expect(audit).toHaveLength(1);
  });
});
