import { encryptOtpPayload, parseAgentPublicKey } from '@agent-otp/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect, postgresAvailable } from '../../../test-support/services.js';

describeEachDialect('waiting agents and sources wake on change', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent());
  });
  afterAll(() => relay.stop());

  const newRequest = async () => {
    const keys = await agentKeyPair();
    const res = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'wake', publicKey: keys.publicKey },
    });
    return res.body.id as string;
  };

  it('a long-poll returns on approval, well before its wait runs out', async () => {
    const id = await newRequest();
    const started = Date.now();
    const waiting = call(relay.url, `/api/v1/otp/${id}?wait=20`, { token: apiKey });
    await new Promise((r) => setTimeout(r, 200));
    await relay.ownerFetch(`/api/v1/requests/${id}/approve`, { method: 'POST' });
    const res = await waiting;
    expect(res.body.status).toBe('approved');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a long-poll with nothing happening returns the unchanged status after its wait', async () => {
    const id = await newRequest();
    const res = await call(relay.url, `/api/v1/otp/${id}?wait=1`, { token: apiKey });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('pending_approval');
  });

  it('streams status changes over SSE until the request ends', async () => {
    const id = await newRequest();
    const response = await fetch(`${relay.url}/api/v1/otp/${id}/events`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const statuses: string[] = [];
    let buffer = '';
    const read = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += new TextDecoder().decode(value);
        for (const match of buffer.matchAll(/data: (.*)\n/g)) statuses.push(JSON.parse(match[1]!).status);
        buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
      }
    })();
    await new Promise((r) => setTimeout(r, 150));
    await relay.ownerFetch(`/api/v1/requests/${id}/approve`, { method: 'POST' });
    await new Promise((r) => setTimeout(r, 150));
    await call(relay.url, `/api/v1/otp/${id}`, { method: 'DELETE', token: apiKey });
    await Promise.race([
      read,
      new Promise((_, reject) => setTimeout(() => reject(new Error('stream did not end')), 5000)),
    ]);
    expect(statuses).toEqual(['pending_approval', 'approved', 'cancelled']);
  });

  it('a capture source long-poll wakes when a request appears, and delivers ciphertext', async () => {
    // Requests left open by the tests above would answer the long-poll at once: start clean.
    await relay.ctx.database.db
      .updateTable('otp_requests')
      .set({ status: 'cancelled', encrypted_payload: null })
      .execute();
    const { token } = await relay.createSource('sms');
    const empty = await call(relay.url, '/api/v1/capture/requests', { token });
    expect(empty.body.requests).toEqual([]);
    const waiting = call(relay.url, '/api/v1/capture/requests?wait=20', { token });
    await new Promise((r) => setTimeout(r, 200));
    const keys = await agentKeyPair();
    const created = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'sms', filter: { sources: ['sms'], senderPattern: 'Acme' }, publicKey: keys.publicKey },
    });
    const listed = (await waiting).body.requests;
    expect(listed.map((r: { id: string }) => r.id)).toContain(created.body.id);
    const open = listed.find((r: { id: string }) => r.id === created.body.id);
    expect(open).toMatchObject({
      senderPattern: 'Acme',
      sources: ['sms'],
      keyFingerprint: created.body.keyFingerprint,
    });
    expect(Date.parse(open.notBefore)).toBeLessThan(Date.parse(open.createdAt));
    const key = await parseAgentPublicKey(open.publicKey);
    const jwe = await encryptOtpPayload(key.key, key.fingerprint, {
      code: '424242',
      source: 'sms',
      sender: 'Acme',
      receivedAt: new Date().toISOString(),
      requestId: open.id,
    });
    const delivered = await call(relay.url, `/api/v1/capture/requests/${open.id}/deliver`, {
      token,
      json: { encryptedPayload: jwe },
    });
    expect(delivered.body).toEqual({ id: open.id, status: 'pending_approval' });
    // The same ciphertext again (a retry whose answer was lost) is the same success
    // (issue 9 item 12); another code for a request that holds one is a conflict.
    const twice = await call(relay.url, `/api/v1/capture/requests/${open.id}/deliver`, {
      token,
      json: { encryptedPayload: jwe },
    });
    expect(twice.status).toBe(200);
    expect(twice.body).toEqual(delivered.body);
    const another = await call(relay.url, `/api/v1/capture/requests/${open.id}/deliver`, {
      token,
      json: {
        encryptedPayload: await encryptOtpPayload(key.key, key.fingerprint, {
          code: '515151',
          source: 'sms',
          sender: 'Acme',
          receivedAt: new Date().toISOString(),
          requestId: open.id,
        }),
      },
    });
    expect(another.status).toBe(409);
    const after = await call(relay.url, '/api/v1/capture/requests', { token });
    expect(after.body.requests.map((r: { id: string }) => r.id)).not.toContain(open.id);
  });

  if (dialect === 'postgres' && postgresAvailable()) {
    it('an agent waiting on one instance wakes when another instance records the change', async () => {
      const second = await startTestRelay('postgres', { shareWith: relay });
      try {
        const id = await newRequest();
        const started = Date.now();
        const waiting = call(relay.url, `/api/v1/otp/${id}?wait=20`, { token: apiKey });
        await new Promise((r) => setTimeout(r, 200));
        const approved = await call(second.url, `/api/v1/requests/${id}/approve`, {
          method: 'POST',
          token: relay.ownerToken,
        });
        expect(approved.status).toBe(200);
        expect((await waiting).body.status).toBe('approved');
        expect(Date.now() - started).toBeLessThan(10_000);
      } finally {
        await second.stop();
      }
    });
  }
});
