import { createOwnerAccount } from '@agent-otp/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { type BrowserCookies, signIn } from '../../../test-support/session.js';
import { openSse, type SseEvent } from '../../../test-support/sse.js';

const OWNER = { email: 'owner@example.com', password: 'a long enough passphrase' };

describeEachDialect('owner approval events (SSE)', (dialect) => {
  let relay: TestRelay;
  let cookies: BrowserCookies;
  let apiKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
    ({ cookies } = await signIn(relay.url, OWNER.email, OWNER.password));
    ({ apiKey } = await relay.createAgent({ name: 'events-agent' }));
  });
  afterAll(() => relay.stop());

  const newRequest = async (ttl = 300) => {
    const keys = await agentKeyPair();
    const res = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: {
        reason: 'live',
        filter: { sources: ['sms'], senderPattern: 'Acme' },
        publicKey: keys.publicKey,
        ttl,
      },
    });
    return res.body.id as string;
  };
  const queueHas = (id: string, present: boolean) => (e: SseEvent) =>
    e.event === 'pending' &&
    (JSON.parse(e.data).approvals as Array<{ id: string }>).some((a) => a.id === id) === present;

  it('refuses a stream without a credential', async () => {
    expect((await call(relay.url, '/api/v1/approvals/events')).status).toBe(401);
  });

  it('streams the queue, new requests, and decisions made through the CLI', async () => {
    const stream = await openSse(`${relay.url}/api/v1/approvals/events`, { cookie: cookies.cookie });
    try {
      expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
      await stream.waitFor((e) => e.event === 'pending');
      const id = await newRequest();
      const appeared = await stream.waitFor(queueHas(id, true));
      const subject = (JSON.parse(appeared.data).approvals as Array<Record<string, unknown>>).find(
        (a) => a.id === id,
      );
      expect(subject).toMatchObject({ reason: 'live', agent: { name: 'events-agent' }, pending: true });
      expect(JSON.stringify(subject)).toContain('Acme');

      await relay.ownerFetch(`/api/v1/requests/${id}/approve`, { method: 'POST' });
      const decided = await stream.waitFor(
        (e) => e.event === 'request' && JSON.parse(e.data).id === id && JSON.parse(e.data).decision !== null,
      );
      expect(JSON.parse(decided.data).decision).toMatchObject({ outcome: 'approved', channel: 'cli' });
      await stream.waitFor(queueHas(id, false));
    } finally {
      await stream.close();
    }
  });

  it('drops a request from the queue when it expires', async () => {
    const stream = await openSse(`${relay.url}/api/v1/approvals/events`, { cookie: cookies.cookie });
    try {
      const id = await newRequest(30);
      await stream.waitFor(queueHas(id, true));
      await relay.ctx.database.db
        .updateTable('otp_requests')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', id)
        .execute();
      const expired = await stream.waitFor(
        (e) =>
          e.event === 'request' && JSON.parse(e.data).id === id && JSON.parse(e.data).status === 'expired',
      );
      expect(JSON.parse(expired.data).pending).toBe(false);
    } finally {
      await stream.close();
    }
  });

  it('tells another owner nothing about these requests', async () => {
    const other = { email: 'other@example.com', password: 'yet another passphrase' };
    await createOwnerAccount(relay.ctx, { ...other, channel: 'cli' });
    const { cookies: otherCookies } = await signIn(relay.url, other.email, other.password);
    const stream = await openSse(`${relay.url}/api/v1/approvals/events`, { cookie: otherCookies.cookie });
    try {
      await stream.waitFor((e) => e.event === 'pending');
      const id = await newRequest();
      await new Promise((r) => setTimeout(r, 500));
      expect(JSON.stringify(stream.events)).not.toContain(id);
    } finally {
      await stream.close();
    }
  });
});
