// Issue 9 item 11: a public key that imports but cannot encrypt (a JWK with an even
// modulus) was accepted; afterwards every server-side capture for that owner answered 500
// until the request expired. Every key is now proved by a trial encryption on create.
import { Buffer } from 'node:buffer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

/** A real key's JWK with its modulus changed by `mutate` (big-endian bytes). */
async function jwkWithModulus(mutate: (n: Buffer) => Buffer): Promise<Record<string, unknown>> {
  const { pair } = await agentKeyPair();
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const n = mutate(Buffer.from(jwk.n ?? '', 'base64url'));
  return { kty: 'RSA', e: jwk.e, n: n.toString('base64url') };
}

describeEachDialect('issue 9 item 11: keys that import but cannot encrypt', (dialect) => {
  let relay: TestRelay;
  let agent: { apiKey: string };

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    agent = await relay.createAgent({ name: 'key-tester' });
  });
  afterAll(() => relay.stop());

  const create = (publicKey: unknown) =>
    call(relay.url, '/api/v1/otp', { token: agent.apiKey, json: { reason: 'key test', publicKey } });

  it('refuses a JWK with an even modulus', async () => {
    const even = await jwkWithModulus((n) => {
      const copy = Buffer.from(n);
      copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) & 0xfe;
      return copy;
    });
    const res = await create(even);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_PUBLIC_KEY');
    expect(res.body.error.message).toMatch(/modulus|encrypt/i);
  });

  it('refuses a modulus with a small prime factor (3)', async () => {
    const divisibleBy3 = await jwkWithModulus((n) => {
      let value = BigInt(`0x${n.toString('hex')}`);
      value -= value % 3n;
      if (value % 2n === 0n) value -= 3n;
      return Buffer.from(value.toString(16).padStart(n.length * 2, '0'), 'hex');
    });
    const res = await create(divisibleBy3);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_PUBLIC_KEY');
  });

  it('refuses a trivially weak odd modulus (2^2047 + 1)', async () => {
    const weak = await jwkWithModulus((n) => {
      const bytes = Buffer.alloc(n.length);
      bytes[0] = 0x80;
      bytes[bytes.length - 1] = 0x01;
      return bytes;
    });
    const res = await create(weak);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_PUBLIC_KEY');
  });

  it('answers a capture with no 500 when a stored key (from before this check) cannot encrypt', async () => {
    const keys = await agentKeyPair();
    const created = await create(keys.publicKey);
    expect(created.status).toBe(201);
    const even = await jwkWithModulus((n) => {
      const copy = Buffer.from(n);
      copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) & 0xfe;
      return copy;
    });
    const imported = await crypto.subtle.importKey(
      'jwk',
      { ...even, ext: true },
      { name: 'RSA-OAEP', hash: 'SHA-256' },
      true,
      ['encrypt'],
    );
    const spki = Buffer.from(await crypto.subtle.exportKey('spki', imported)).toString('base64');
    await relay.ctx.database.db
      .updateTable('otp_requests')
      .set({ public_key: spki })
      .where('id', '=', created.body.id)
      .execute();
    await relay.ownerFetch(`/api/v1/requests/${created.body.id}/approve`, { method: 'POST' });
    const sms = await relay.createSource('sms');
    const captured = await call(relay.url, '/api/v1/capture/messages', {
      token: sms.token,
      json: { from: 'BROKEN', text: 'Your code is 482913' },
    });
    expect(captured.status).not.toBe(500);
    expect(captured.status).toBeLessThan(500);
    await call(relay.url, `/api/v1/otp/${created.body.id}`, { method: 'DELETE', token: agent.apiKey });
  });

  it('still accepts a real key and server-side capture then works', async () => {
    const keys = await agentKeyPair();
    const created = await create(keys.publicKey);
    expect(created.status).toBe(201);
    const sms = await relay.createSource('sms');
    await relay.ownerFetch(`/api/v1/requests/${created.body.id}/approve`, { method: 'POST' });
    const captured = await call(relay.url, '/api/v1/capture/messages', {
      token: sms.token,
      json: { from: 'ACME', text: 'Your Acme code is 482913' },
    });
    expect(captured.status).toBe(200);
    const status = await call(relay.url, `/api/v1/otp/${created.body.id}`, { token: agent.apiKey });
    expect(status.body.status).toBe('otp_received');
  });
});
