// Issue 11 §2: signed webhooks to agents. A real relay on both dialects POSTs each status
// change an agent acts on to a real HTTP receiver on 127.0.0.1, signed per the fixed wire
// format; the outbox is durable, retried with backoff, leased across instances, and the
// relay refuses webhook URLs that reach the internal network unless its operator allows it.
import { createAgent, SYSTEM_ACTOR } from '@agent-otp/core';
import { WEBHOOK_HEADERS, WebhookEvent } from '@agent-otp/shared';
import { webhookSignature } from '@orrisai/agent-otp-contract/webhook-signing';
import { verifyWebhookSignature } from '@orrisai/agent-otp-sdk/webhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { startWebhookReceiver } from '../../../test-support/webhook-receiver.js';

/** Loopback receivers need both switches; retries are fast so the test does not wait on backoff. */
const PERMISSIVE = {
  WEBHOOK_ALLOW_HTTP: '1',
  WEBHOOK_ALLOW_PRIVATE: '1',
  WEBHOOK_RETRY_BASE_MS: '40',
  WEBHOOK_RETRY_MAX_MS: '200',
  WEBHOOK_POLL_MS: '25',
};

async function newAgent(relay: TestRelay, options: { test?: boolean; ownerId?: string } = {}) {
  const { agent, apiKey, webhookSecret } = await createAgent(relay.ctx, {
    ownerId: options.ownerId ?? relay.owner.id,
    name: 'webhook-agent',
    test: options.test ?? false,
    actor: SYSTEM_ACTOR,
  });
  return { id: agent.id, apiKey, webhookSecret };
}

// One key pair for every request: RSA key generation is slow on a shared machine, and the
// webhook never carries what the key protects.
let sharedKeys: ReturnType<typeof agentKeyPair> | undefined;

async function requestOtp(relay: TestRelay, apiKey: string, webhookUrl: string) {
  sharedKeys ??= agentKeyPair();
  const keys = await sharedKeys;
  return call(relay.url, '/api/v1/otp', {
    token: apiKey,
    json: {
      reason: 'Sign up at Acme',
      filter: { sources: ['email'] },
      publicKey: keys.publicKey,
      webhookUrl,
    },
  });
}

const approve = (relay: TestRelay, id: string) =>
  relay.ownerFetch(`/api/v1/requests/${id}/approve`, { method: 'POST' });

const capture = (relay: TestRelay, text: string) =>
  relay.ownerFetch('/api/v1/owner/capture', {
    method: 'POST',
    body: JSON.stringify({ source: 'email', from: 'Acme <noreply@acme.com>', subject: 'Your code', text }),
  });

const outboxRow = (relay: TestRelay, requestId: string, type: string) =>
  relay.ctx.database.db
    .selectFrom('webhook_outbox')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('event_type', '=', type)
    .executeTakeFirst();

describeEachDialect('signed webhooks', (dialect) => {
  let relay: TestRelay;

  beforeAll(async () => {
    relay = await startTestRelay(dialect, { env: PERMISSIVE });
  });
  afterAll(() => relay.stop());

  it('signs each status change an agent acts on; the signature verifies with the contract and the SDK; no code in any body', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const agent = await newAgent(relay);
      expect(agent.webhookSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      const created = await requestOtp(relay, agent.apiKey, receiver.url);
      expect(created.status).toBe(201);
      const id: string = created.body.id;
      expect((await approve(relay, id)).status).toBe(200);
      await eventually(async () => receiver.received.length >= 1);
      expect((await (await capture(relay, 'Your Acme code is 847291.')).json()).status).toBe('otp_received');
      await eventually(async () => receiver.received.length >= 2);

      const events = receiver.received.map((r) => JSON.parse(r.raw) as WebhookEvent);
      expect(events.map((e) => e.type)).toEqual(['otp.approved', 'otp.otp_received']);
      for (const [index, delivery] of receiver.received.entries()) {
        const event = WebhookEvent.parse(JSON.parse(delivery.raw));
        expect(event).toMatchObject({ kind: 'otp', request_id: id, agent_id: agent.id });
        expect(delivery.headers[WEBHOOK_HEADERS.eventId]).toBe(event.id);
        expect(delivery.headers['content-type']).toBe('application/json');
        expect(delivery.headers['user-agent']).toMatch(/^agent-otp-webhook\//);
        const timestamp = Number(delivery.headers[WEBHOOK_HEADERS.timestamp]);
        expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
        expect(delivery.headers[WEBHOOK_HEADERS.signature]).toBe(
          `v1=${webhookSignature(agent.webhookSecret, timestamp, delivery.raw)}`,
        );
        expect(verifyWebhookSignature(delivery.raw, delivery.headers, agent.webhookSecret)).toEqual(event);
        expect(event.status).toBe(index === 0 ? 'approved' : 'otp_received');
        expect(delivery.raw).not.toContain('847291');
        expect(delivery.raw).not.toContain('eyJ'); // no JWE either
      }
      // A forged body under the real headers does not verify.
      const [first] = receiver.received;
      expect(() =>
        verifyWebhookSignature(first!.raw.replace('approved', 'denied'), first!.headers, agent.webhookSecret),
      ).toThrow();

      // The receiver holds the event a moment before the relay records its answer.
      const row = await eventually(async () => {
        const r = await outboxRow(relay, id, 'otp.otp_received');
        return r?.status === 'delivered' ? r : undefined;
      });
      expect(row).toMatchObject({ status: 'delivered', attempts: 1, last_http_status: 200 });
      expect(row.body).not.toContain('847291');
      // The relay logged the event id and host, never the secret.
      await eventually(async () =>
        relay.logs.some((l) => l.includes(row.id) && l.includes('webhook delivered')),
      );
      expect(relay.logs.join('\n')).not.toContain(agent.webhookSecret);
    } finally {
      await receiver.close();
    }
  });

  it('announces a request created already decided (test key) and permission decisions', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const testAgent = await newAgent(relay, { test: true });
      const created = await requestOtp(relay, testAgent.apiKey, receiver.url);
      expect(created.status).toBe(201);
      await eventually(async () => receiver.received.length >= 1);
      const first = JSON.parse(receiver.received[0]!.raw) as WebhookEvent;
      expect(first).toMatchObject({ type: `otp.${created.body.status}`, request_id: created.body.id });

      const agent = await newAgent(relay);
      const permission = await call(relay.url, '/api/v1/permissions/request', {
        token: agent.apiKey,
        json: { action: 'gmail.send', resource: 'email:a@example.com', webhookUrl: receiver.url },
      });
      expect(permission.status).toBe(201);
      const denied = await relay.ownerFetch(`/api/v1/approvals/${permission.body.id}/deny`, {
        method: 'POST',
      });
      expect(denied.status).toBe(200);
      await eventually(async () => receiver.received.length >= 2);
      const second = receiver.received[1]!;
      expect(JSON.parse(second.raw)).toMatchObject({
        type: 'permission.denied',
        kind: 'permission',
        status: 'denied',
        request_id: permission.body.id,
      });
      expect(verifyWebhookSignature(second.raw, second.headers, agent.webhookSecret).status).toBe('denied');
    } finally {
      await receiver.close();
    }
  });

  it('delivers to a receiver that fails three times exactly once, after retries', async () => {
    const receiver = await startWebhookReceiver((received) => (received.length < 3 ? 503 : 200));
    try {
      const agent = await newAgent(relay);
      const created = await requestOtp(relay, agent.apiKey, receiver.url);
      await approve(relay, created.body.id);
      const row = await eventually(async () => {
        const r = await outboxRow(relay, created.body.id, 'otp.approved');
        return r?.status === 'delivered' ? r : undefined;
      });
      expect(row.attempts).toBe(4);
      expect(receiver.received.map((r) => r.answered)).toEqual([503, 503, 503, 200]);
      // Every attempt is the same event, re-signed with its own timestamp.
      expect(new Set(receiver.received.map((r) => r.headers[WEBHOOK_HEADERS.eventId]))).toEqual(
        new Set([row.id]),
      );
      for (const r of receiver.received)
        expect(verifyWebhookSignature(r.raw, r.headers, agent.webhookSecret).id).toBe(row.id);
      // Nothing more arrives once acknowledged.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.acknowledged()).toEqual(new Map([[row.id, 1]]));
      expect(receiver.received).toHaveLength(4);

      const listed = await (await relay.ownerFetch(`/api/v1/webhooks/deliveries?agentId=${agent.id}`)).json();
      expect(listed.deliveries).toEqual([
        expect.objectContaining({
          id: row.id,
          status: 'delivered',
          attempts: 4,
          lastHttpStatus: 200,
          type: 'otp.approved',
        }),
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('rotates the webhook secret: later deliveries verify only with the new one; another owner can neither rotate nor list', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const agent = await newAgent(relay);
      const otherOwnerId = `usr_01JD2W9X3YH4Q7M5RZ8T6KC${dialect === 'sqlite' ? 'B2N' : 'B3N'}`;
      await relay.ctx.database.db
        .insertInto('users')
        .values({
          id: otherOwnerId,
          email: `other-${dialect}@example.com`,
          password_hash: null,
          created_at: new Date().toISOString(),
        })
        .execute();
      const { createOwnerToken } = await import('@agent-otp/core');
      const otherToken = await createOwnerToken(relay.ctx, otherOwnerId, 3600);

      const foreign = await call(relay.url, `/api/v1/agents/${agent.id}/rotate-webhook-secret`, {
        method: 'POST',
        token: otherToken,
      });
      expect(foreign.status).toBe(404);
      const rotated = await relay.ownerFetch(`/api/v1/agents/${agent.id}/rotate-webhook-secret`, {
        method: 'POST',
      });
      expect(rotated.status).toBe(200);
      const { webhookSecret } = await rotated.json();
      expect(webhookSecret).toMatch(/^whsec_/);
      expect(webhookSecret).not.toBe(agent.webhookSecret);

      const created = await requestOtp(relay, agent.apiKey, receiver.url);
      await approve(relay, created.body.id);
      await eventually(async () => receiver.received.length >= 1);
      const delivery = receiver.received[0]!;
      expect(verifyWebhookSignature(delivery.raw, delivery.headers, webhookSecret).request_id).toBe(
        created.body.id,
      );
      expect(() => verifyWebhookSignature(delivery.raw, delivery.headers, agent.webhookSecret)).toThrow();

      const theirs = await call(relay.url, `/api/v1/webhooks/deliveries?agentId=${agent.id}`, {
        token: otherToken,
      });
      expect(theirs.status).toBe(200);
      expect(theirs.body.deliveries).toEqual([]);
      const all = await call(relay.url, '/api/v1/webhooks/deliveries', { token: otherToken });
      expect(all.body.deliveries).toEqual([]);

      const audit = await relay.ctx.database.db
        .selectFrom('audit_events')
        .select(['action', 'details'])
        .where('target_id', '=', agent.id)
        .execute();
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['agent.created', 'agent.webhook_secret_rotated']),
      );
      expect(JSON.stringify(audit)).not.toContain(webhookSecret);
    } finally {
      await receiver.close();
    }
  });

  it('delivers to a host name by connecting to the address its lookup checked', async () => {
    const receiver = await startWebhookReceiver();
    const policy = relay.ctx.webhooks!;
    const lookedUp: string[] = [];
    relay.ctx.webhooks = {
      ...policy,
      resolve: async (hostname) => {
        lookedUp.push(hostname);
        return hostname === 'agent.example.test' ? ['127.0.0.1'] : [];
      },
    };
    try {
      const agent = await newAgent(relay);
      const created = await requestOtp(
        relay,
        agent.apiKey,
        `http://agent.example.test:${receiver.port}/hooks/otp`,
      );
      expect(created.status).toBe(201);
      await approve(relay, created.body.id);
      await eventually(async () => receiver.received.length >= 1);
      const delivery = receiver.received[0]!;
      expect(delivery.headers.host).toBe(`agent.example.test:${receiver.port}`);
      expect(verifyWebhookSignature(delivery.raw, delivery.headers, agent.webhookSecret).request_id).toBe(
        created.body.id,
      );
      // Once when the request was made, once more when the delivery connected.
      expect(lookedUp.filter((h) => h === 'agent.example.test').length).toBeGreaterThanOrEqual(2);
    } finally {
      relay.ctx.webhooks = policy;
      await receiver.close();
    }
  });

  it('does not hold other agents’ events behind a receiver that never answers', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const receiver = await startWebhookReceiver();
    try {
      const stuck = await newAgent(relay);
      const other = await newAgent(relay);
      const held = await requestOtp(
        relay,
        stuck.apiKey,
        `http://127.0.0.1:${(silent.address() as { port: number }).port}/hook`,
      );
      const quick = await requestOtp(relay, other.apiKey, receiver.url);
      await approve(relay, held.body.id);
      await eventually(async () => (await outboxRow(relay, held.body.id, 'otp.approved'))?.claimed_by);
      // The silent receiver holds its attempt for the 10 s timeout; the other event goes now.
      await approve(relay, quick.body.id);
      await eventually(async () => receiver.received.length >= 1, 5_000);
      expect((await outboxRow(relay, held.body.id, 'otp.approved'))?.status).toBe('pending');
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
      await receiver.close();
    }
  });

  it('keeps webhook secrets out of the database in plaintext', async () => {
    const agent = await newAgent(relay);
    const dump = `${await relay.dumpDatabase()}\n${JSON.stringify(await relay.ctx.database.db.selectFrom('webhook_outbox').selectAll().execute())}`;
    expect(dump).not.toContain(agent.webhookSecret);
    expect(dump).not.toContain(agent.webhookSecret.slice('whsec_'.length, 'whsec_'.length + 20));
    const stored = await relay.ctx.database.db
      .selectFrom('agents')
      .select('webhook_secret_sealed')
      .where('id', '=', agent.id)
      .executeTakeFirstOrThrow();
    expect(stored.webhook_secret_sealed).toMatch(/^v1\./);
  });

  it('refuses a webhook URL from an agent created before webhooks until its owner rotates a secret in', async () => {
    const agent = await newAgent(relay);
    // What migration 0008 leaves on agents that existed before it.
    await relay.ctx.database.db
      .updateTable('agents')
      .set({ webhook_secret_sealed: null })
      .where('id', '=', agent.id)
      .execute();
    const refused = await requestOtp(relay, agent.apiKey, 'http://127.0.0.1:9/otp');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain(`agent-otp agent:rotate-webhook-secret ${agent.id}`);
    const rotated = await relay.ownerFetch(`/api/v1/agents/${agent.id}/rotate-webhook-secret`, {
      method: 'POST',
    });
    expect(rotated.status).toBe(200);
    // A literal address: no DNS needed (this relay allows loopback receivers).
    expect((await requestOtp(relay, agent.apiKey, 'http://127.0.0.1:9/otp')).status).toBe(201);
  });

  it('refuses malformed webhook URLs with a clear 400', async () => {
    const agent = await newAgent(relay);
    for (const [webhookUrl, message] of [
      ['not a url', 'https://'],
      ['ftp://example.com/hook', 'https://'],
      ['https://user:pw@example.com/hook', 'user name or password'],
      [`https://example.com/${'a'.repeat(2100)}`, 'at most 2048'],
    ] as const) {
      const res = await requestOtp(relay, agent.apiKey, webhookUrl);
      expect(res.status, webhookUrl).toBe(400);
      expect(JSON.stringify(res.body.error)).toContain(message);
    }
  });
});

describeEachDialect('webhook destinations (SSRF)', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;
  const dns = new Map<string, string[]>();

  beforeAll(async () => {
    // Plain http allowed (loopback receivers), private addresses NOT allowed.
    relay = await startTestRelay(dialect, {
      env: {
        WEBHOOK_ALLOW_HTTP: '1',
        WEBHOOK_RETRY_BASE_MS: '40',
        WEBHOOK_RETRY_MAX_MS: '200',
        WEBHOOK_POLL_MS: '25',
      },
    });
    // The injected resolver stands in for DNS: tests change its answers between request and delivery.
    relay.ctx.webhooks = {
      ...relay.ctx.webhooks!,
      resolve: async (hostname) => {
        const answer = dns.get(hostname);
        if (answer) return answer;
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      },
    };
    dns.set('localhost', ['127.0.0.1', '::1']);
    ({ apiKey } = await newAgent(relay));
  });
  afterAll(() => relay.stop());

  it('refuses internal addresses at request time, literal or resolved', async () => {
    dns.set('metadata.internal.test', ['169.254.169.254']);
    dns.set('mixed.test', ['93.184.216.34', '10.1.2.3']);
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost:8080/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[::ffff:a9fe:a9fe]/hook',
      'http://10.0.0.7/hook',
      'http://172.16.5.4/hook',
      'http://192.168.1.1/hook',
      'http://100.64.0.1/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://0.0.0.0/hook',
      'http://[fd00::1]/hook',
      'http://[fe80::1]/hook',
      'http://224.0.0.1/hook',
      'http://[ff02::1]/hook',
      'http://[::]/hook',
      'http://metadata.internal.test/hook',
      'http://mixed.test/hook',
    ]) {
      const res = await requestOtp(relay, apiKey, url);
      expect(res.status, url).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
      expect(res.body.error.message, url).toMatch(/internal address/);
    }
  });

  it('refuses plain http unless allowed', async () => {
    const strict = await startTestRelay(dialect, {});
    try {
      const { apiKey: strictKey } = await newAgent(strict);
      const res = await requestOtp(strict, strictKey, 'http://93.184.216.34/hook');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/https:\/\//);
      const loopback = await requestOtp(strict, strictKey, 'https://127.0.0.1/hook');
      expect(loopback.status).toBe(400);
      expect(loopback.body.error.message).toMatch(/internal address/);
    } finally {
      await strict.stop();
    }
  });

  it('checks again at delivery: a name that rebinds to 127.0.0.1 after the request is never connected to', async () => {
    const receiver = await startWebhookReceiver();
    try {
      dns.set('hooks.rebind.test', ['93.184.216.34']);
      const url = `http://hooks.rebind.test:${receiver.port}/hooks/otp`;
      const created = await requestOtp(relay, apiKey, url);
      expect(created.status).toBe(201);
      // The attacker's DNS now answers with the loopback address, where the receiver listens.
      dns.set('hooks.rebind.test', ['127.0.0.1']);
      await approve(relay, created.body.id);
      const row = await eventually(async () => {
        const r = await outboxRow(relay, created.body.id, 'otp.approved');
        return r && r.attempts >= 2 ? r : undefined;
      });
      expect(row.status).toBe('pending');
      expect(row.last_error).toContain('127.0.0.1');
      expect(row.last_http_status).toBeNull();
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});

describeEachDialect('webhook outbox durability', (dialect) => {
  it('survives a relay restart: an event pending when the relay stopped is delivered by the next one', async () => {
    let healthy = false;
    const receiver = await startWebhookReceiver(() => (healthy ? 200 : 503));
    const first = await startTestRelay(dialect, {
      env: { ...PERMISSIVE, WEBHOOK_RETRY_BASE_MS: '300', WEBHOOK_RETRY_MAX_MS: '300' },
    });
    let second: TestRelay | undefined;
    try {
      const agent = await newAgent(first);
      const created = await requestOtp(first, agent.apiKey, receiver.url);
      await approve(first, created.body.id);
      await eventually(async () => receiver.received.length >= 1);
      // Stop the relay's server and jobs (its database stays for the next instance).
      await first.server.stop();
      const pending = await outboxRow(first, created.body.id, 'otp.approved');
      expect(pending?.status).toBe('pending');
      const before = receiver.received.length;

      healthy = true;
      second = await startTestRelay(dialect, { env: PERMISSIVE, shareWith: first });
      const delivered = await eventually(async () => {
        const r = await outboxRow(second!, created.body.id, 'otp.approved');
        return r?.status === 'delivered' ? r : undefined;
      });
      expect(delivered.attempts).toBe(before + 1);
      expect(receiver.acknowledged()).toEqual(new Map([[delivered.id, 1]]));
      expect(
        verifyWebhookSignature(
          receiver.received.at(-1)!.raw,
          receiver.received.at(-1)!.headers,
          agent.webhookSecret,
        ).id,
      ).toBe(delivered.id);
    } finally {
      await second?.stop();
      await first.stop();
      await receiver.close();
    }
  });

  it('two instances on one database deliver each event once', async () => {
    const receiver = await startWebhookReceiver();
    const a = await startTestRelay(dialect, { env: { ...PERMISSIVE, WEBHOOK_POLL_MS: '10' } });
    const b = await startTestRelay(dialect, { env: { ...PERMISSIVE, WEBHOOK_POLL_MS: '10' }, shareWith: a });
    try {
      const agent = await newAgent(a);
      const ids: string[] = [];
      for (let i = 0; i < 20; i += 1) {
        const created = await requestOtp(i % 2 ? a : b, agent.apiKey, receiver.url);
        expect(created.status).toBe(201);
        ids.push(created.body.id);
      }
      await Promise.all(ids.map((id, i) => approve(i % 2 ? b : a, id)));
      await eventually(async () => receiver.acknowledged().size === 20, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect([...receiver.acknowledged().values()]).toEqual(new Array(20).fill(1));
      expect(receiver.received).toHaveLength(20);
    } finally {
      await b.stop();
      await a.stop();
      await receiver.close();
    }
  });
});

describeEachDialect('webhook events and delivery outcomes', (dialect) => {
  let relay: TestRelay;

  beforeAll(async () => {
    relay = await startTestRelay(dialect, {
      env: { ...PERMISSIVE, WEBHOOK_TIMEOUT_MS: '300', WEBHOOK_RETRY_WINDOW_MS: '1500' },
    });
  });
  afterAll(() => relay.stop());

  it('announces a cancel by the agent and an expiry by the sweeper', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const agent = await newAgent(relay);
      const cancelled = await requestOtp(relay, agent.apiKey, receiver.url);
      const expiring = await requestOtp(relay, agent.apiKey, receiver.url);
      expect(
        (await call(relay.url, `/api/v1/otp/${cancelled.body.id}`, { method: 'DELETE', token: agent.apiKey }))
          .status,
      ).toBe(200);
      await relay.ctx.database.db
        .updateTable('otp_requests')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', expiring.body.id)
        .execute();
      await eventually(async () => receiver.received.length >= 2);
      const events = receiver.received.map((r) =>
        verifyWebhookSignature(r.raw, r.headers, agent.webhookSecret),
      );
      expect(events.map((e) => [e.request_id, e.type]).sort()).toEqual(
        [
          [cancelled.body.id, 'otp.cancelled'],
          [expiring.body.id, 'otp.expired'],
        ].sort(),
      );
    } finally {
      await receiver.close();
    }
  });

  it('does not follow a redirect, counts a receiver that never answers as a failed attempt, and gives up after the retry window', async () => {
    const landing = await startWebhookReceiver();
    const { createServer } = await import('node:http');
    // A receiver that redirects to another endpoint (which never hears from the relay).
    const redirecting = createServer((_req, res) => res.writeHead(302, { location: landing.url }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const redirectingUrl = `http://127.0.0.1:${(redirecting.address() as { port: number }).port}/hook`;
    // A receiver that holds the connection open without answering.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}/hook`;
    try {
      const agent = await newAgent(relay);
      const redirected = await requestOtp(relay, agent.apiKey, redirectingUrl);
      const timedOut = await requestOtp(relay, agent.apiKey, silentUrl);
      await approve(relay, redirected.body.id);
      await approve(relay, timedOut.body.id);
      const [gaveUpRedirect, gaveUpTimeout] = await eventually(async () => {
        const a = await outboxRow(relay, redirected.body.id, 'otp.approved');
        const b = await outboxRow(relay, timedOut.body.id, 'otp.approved');
        return a?.status === 'failed' && b?.status === 'failed' ? [a, b] : undefined;
      }, 15_000);
      expect(gaveUpRedirect).toMatchObject({ last_http_status: 302, last_error: 'HTTP 302' });
      expect(gaveUpRedirect.attempts).toBeGreaterThan(1);
      expect(gaveUpTimeout.last_error).toBe('no answer within 300 ms');
      expect(gaveUpTimeout.attempts).toBeGreaterThan(1);
      expect(landing.received).toHaveLength(0);

      const listed = await (await relay.ownerFetch(`/api/v1/webhooks/deliveries?agentId=${agent.id}`)).json();
      expect(listed.deliveries.map((d: { status: string }) => d.status)).toEqual(['failed', 'failed']);
      expect(listed.deliveries.every((d: { nextAttemptAt: string | null }) => d.nextAttemptAt === null)).toBe(
        true,
      );
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
      await new Promise<void>((resolve) => redirecting.close(() => resolve()));
      await landing.close();
    }
  });
});
