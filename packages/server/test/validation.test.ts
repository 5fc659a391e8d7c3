import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

describeEachDialect('hostile and malformed input', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;
  let publicKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent());
    ({ publicKey } = await agentKeyPair());
  });
  afterAll(() => relay.stop());

  const create = (json: unknown) => call(relay.url, '/api/v1/otp', { token: apiKey, json });

  it('refuses an RSA key under 2048 bits, naming the size', async () => {
    const weak = await agentKeyPair(1024);
    const res = await create({ reason: 'r', publicKey: weak.publicKey });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_PUBLIC_KEY');
    expect(res.body.error.message).toMatch(/1024-bit.*2048/);
  });

  it.each([
    ['garbage', 'definitely not a key', /not base64-encoded SPKI/],
    ['base64 garbage', 'AAAAAAAAAAAA', /not a valid RSA public key/],
    ['a private JWK', { kty: 'RSA', n: 'AQAB', e: 'AQAB', d: 'AQAB' }, /private key/],
    ['a PKCS#1 PEM', '-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----', /PKCS#1/],
    ['an EC JWK', { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }, /kty "RSA"/],
  ])('refuses %s as a public key', async (_name, key, message) => {
    const res = await create({ reason: 'r', publicKey: key });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('accepts the same key as PEM and as JWK, with one fingerprint', async () => {
    const keys = await agentKeyPair();
    const pem = `-----BEGIN PUBLIC KEY-----\n${keys.publicKey.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
    const jwk = await crypto.subtle.exportKey('jwk', keys.pair.publicKey);
    const fromSpki = await create({ reason: 'r', publicKey: keys.publicKey });
    const fromPem = await create({ reason: 'r', publicKey: pem });
    const fromJwk = await create({ reason: 'r', publicKey: jwk });
    expect(fromPem.status).toBe(201);
    expect(fromJwk.status).toBe(201);
    expect(fromPem.body.keyFingerprint).toBe(fromSpki.body.keyFingerprint);
    expect(fromJwk.body.keyFingerprint).toBe(fromSpki.body.keyFingerprint);
  });

  it('answers malformed JSON with MALFORMED_JSON', async () => {
    const res = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      raw: '{"reason": "x", "publicKey": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
    expect(res.body.error.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('answers a non-JSON content type with 415', async () => {
    const res = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      raw: 'reason=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses an oversized body with 413', async () => {
    const res = await create({ reason: 'r', publicKey, padding: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('names unknown fields and wrong types', async () => {
    const unknown = await create({ reason: 'r', publicKey, colour: 'blue' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/colour/);
    const wrongType = await create({ reason: 42, publicKey, ttl: 'soon' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toMatch(/body\.reason/);
    expect(wrongType.body.error.message).toMatch(/body\.ttl/);
    const tooShort = await create({ reason: 'r', publicKey, ttl: 5 });
    expect(tooShort.body.error.message).toMatch(/ttl must be at least 30 seconds/);
    const badFilter = await create({ reason: 'r', publicKey, filter: { sources: ['carrier-pigeon'] } });
    expect(badFilter.body.error.message).toMatch(/body\.filter\.sources\.0/);
    const notObject = await create([1, 2, 3]);
    expect(notObject.status).toBe(400);
  });

  it('validates path and query parameters', async () => {
    const badId = await call(relay.url, '/api/v1/otp/not-an-id', { token: apiKey });
    expect(badId.status).toBe(400);
    expect(badId.body.error.message).toMatch(/param\.id/);
    const badWait = await call(relay.url, '/api/v1/otp/otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N?wait=soon', {
      token: apiKey,
    });
    expect(badWait.status).toBe(400);
    const longWait = await call(relay.url, '/api/v1/otp/otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N?wait=3600', {
      token: apiKey,
    });
    expect(longWait.body.error.message).toMatch(/at most 60/);
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await call(relay.url, '/api/v1/nope', { token: apiKey });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('keeps serving after all of that', async () => {
    const health = await call(relay.url, '/healthz');
    expect(health.status).toBe(200);
    expect((await create({ reason: 'still here', publicKey })).status).toBe(201);
  });

  it('rate-limits per key with 429 and Retry-After', async () => {
    const limited = await startTestRelay(dialect, {
      env: { RATE_LIMIT_BURST: '3', RATE_LIMIT_PER_MINUTE: '6' },
    });
    try {
      const { apiKey: key } = await limited.createAgent();
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const res = await call(limited.url, '/api/v1/otp/otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N', { token: key });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
      }
      expect(statuses.slice(0, 3)).toEqual([404, 404, 404]);
      expect(statuses.slice(3)).toEqual([429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // Another key has its own bucket.
      const { apiKey: other } = await limited.createAgent({ name: 'other' });
      expect(
        (await call(limited.url, '/api/v1/otp/otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N', { token: other })).status,
      ).toBe(404);
    } finally {
      await limited.stop();
    }
  });

  it('sends security headers and a request ID on every response', async () => {
    const res = await call(relay.url, '/healthz');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
