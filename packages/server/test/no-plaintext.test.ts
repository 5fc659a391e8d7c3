import { decryptOtpPayloadFor } from '@agent-otp/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

/** Codes that cannot occur by accident in IDs, hashes or base64 ciphertext. */
function distinctiveCode(i: number): string {
  return `${String(9_000_000 + i * 7919).slice(0, 7)}${i % 10}`;
}

describeEachDialect('no readable code at rest or in logs', (dialect) => {
  let relay: TestRelay;
  const delivered: string[] = [];

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    const { apiKey } = await relay.createAgent({ name: 'scan-agent' });
    const { token: sourceToken } = await relay.createSource('email');
    const { apiKey: testKey } = await relay.createAgent({ name: 'scan-test-agent', test: true });
    for (let i = 0; i < 6; i++) {
      const keys = await agentKeyPair();
      const created = await call(relay.url, '/api/v1/otp', {
        token: apiKey,
        json: {
          reason: `scan ${i}`,
          filter: { sources: ['email'], senderPattern: '*@scan.test' },
          publicKey: keys.publicKey,
        },
      });
      const code = distinctiveCode(i);
      // Half through the owner capture path, half through a plaintext forwarder; some held before approval.
      if (i % 2 === 0)
        await relay.ownerFetch(`/api/v1/requests/${created.body.id}/approve`, { method: 'POST' });
      const message = {
        from: 'codes@scan.test',
        subject: 'Your login code',
        text: `Your login code is ${code}`,
      };
      const captured =
        i < 3
          ? await call(relay.url, '/api/v1/capture/messages', { token: sourceToken, json: message })
          : await call(relay.url, '/api/v1/owner/capture', {
              token: relay.ownerToken,
              json: { source: 'email', ...message },
            });
      expect(captured.body.requestId).toBe(created.body.id);
      if (i % 2 === 1)
        await relay.ownerFetch(`/api/v1/requests/${created.body.id}/approve`, { method: 'POST' });
      if (i < 5) {
        const consumed = await call(relay.url, `/api/v1/otp/${created.body.id}/consume`, {
          method: 'POST',
          token: apiKey,
        });
        expect(
          (await decryptOtpPayloadFor(consumed.body.encryptedPayload, keys.privateKey, created.body.id)).code,
        ).toBe(code);
      }
      delivered.push(code);
    }
    // A synthetic test-key code too.
    const keys = await agentKeyPair();
    const created = await call(relay.url, '/api/v1/otp', {
      token: testKey,
      json: { reason: 'scan test key', publicKey: keys.publicKey },
    });
    const consumed = await call(relay.url, `/api/v1/otp/${created.body.id}/consume`, {
      method: 'POST',
      token: testKey,
    });
    delivered.push(
      (await decryptOtpPayloadFor(consumed.body.encryptedPayload, keys.privateKey, created.body.id)).code,
    );
  });
  afterAll(() => relay.stop());

  it('delivered every code', () => {
    expect(delivered).toHaveLength(7);
  });

  it('no table holds any delivered code', async () => {
    const dump = await relay.dumpDatabase();
    expect(dump.length).toBeGreaterThan(1000);
    for (const code of delivered)
      expect(dump.includes(code), `code ${code} found in the database`).toBe(false);
  });

  it('no log line holds any delivered code, key or token', async () => {
    expect(relay.logs.length).toBeGreaterThan(10);
    const logs = relay.logs.join('\n');
    for (const code of delivered) expect(logs.includes(code), `code ${code} found in the logs`).toBe(false);
    expect(logs).not.toMatch(/ak_(live|test)_[A-Za-z0-9]{10}/);
    expect(logs).not.toMatch(/cs_[A-Za-z0-9]{10}/);
    expect(logs).not.toMatch(/os_[A-Za-z0-9]{10}/);
  });

  it('the one unconsumed code is held as ciphertext only', async () => {
    const rows = await relay.ctx.database.db
      .selectFrom('otp_requests')
      .select('encrypted_payload')
      .where('encrypted_payload', 'is not', null)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.encrypted_payload!.split('.')).toHaveLength(5);
  });
});
