// Issue 15 "Deny with a reason" (and issue 17's `deny --reason`): the owner's words on a
// denial are stored with the decision and reach the agent on every path it reads a status
// (GET, long-poll, SSE, webhook), and the audit log records them. Real relay, both dialects.
import { createAgent, SYSTEM_ACTOR } from '@agent-otp/core';
import { WebhookEvent } from '@agent-otp/shared';
import { verifyWebhookSignature } from '@orrisai/agent-otp-sdk/webhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { openSse } from '../../../test-support/sse.js';
import { startWebhookReceiver } from '../../../test-support/webhook-receiver.js';

const REASON = 'Use the staging account, not production';

describeEachDialect('deny with a reason', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;
  let webhookSecret: string;
  let publicKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect, {
      env: { WEBHOOK_ALLOW_HTTP: '1', WEBHOOK_ALLOW_PRIVATE: '1', WEBHOOK_POLL_MS: '25' },
    });
    const created = await createAgent(relay.ctx, {
      ownerId: relay.owner.id,
      name: 'denied-agent',
      test: false,
      actor: SYSTEM_ACTOR,
    });
    ({ apiKey, webhookSecret } = created);
    ({ publicKey } = await agentKeyPair());
  });
  afterAll(() => relay.stop());

  async function createOtp(webhookUrl?: string): Promise<string> {
    const created = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'Sign up at Acme', publicKey, ...(webhookUrl ? { webhookUrl } : {}) },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  async function createPermission(): Promise<string> {
    const created = await call(relay.url, '/api/v1/permissions/request', {
      token: apiKey,
      json: { action: 'db.drop_table', resource: 'postgres://prod/users', scope: {} },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  const deny = (id: string, body?: unknown) =>
    call(relay.url, `/api/v1/approvals/${id}/deny`, {
      method: 'POST',
      token: relay.ownerToken,
      ...(body === undefined ? {} : { json: body }),
    });

  it('hands the reason to the agent on GET, long-poll and SSE of an OTP request', async () => {
    const id = await createOtp();
    const stream = await openSse(`${relay.url}/api/v1/otp/${id}/events`, {
      authorization: `Bearer ${apiKey}`,
    });
    try {
      await stream.waitFor((e) => JSON.parse(e.data).status === 'pending_approval');
      const waiting = call(relay.url, `/api/v1/otp/${id}?wait=20`, { token: apiKey });
      const denied = await deny(id, { reason: `  ${REASON}  ` });
      expect(denied.status).toBe(200);
      // The owner's answer (the approval as it now stands) shows the words as stored.
      expect(denied.body).toMatchObject({
        status: 'denied',
        decision: { outcome: 'denied' },
        denialReason: REASON,
      });

      const woken = await waiting;
      expect(woken.body).toMatchObject({ status: 'denied', denialReason: REASON });
      const read = await call(relay.url, `/api/v1/otp/${id}`, { token: apiKey });
      expect(read.status).toBe(200);
      expect(read.body.denialReason).toBe(REASON); // trimmed, as stored
      const event = await stream.waitFor((e) => JSON.parse(e.data).status === 'denied');
      expect(JSON.parse(event.data).denialReason).toBe(REASON);
    } finally {
      await stream.close();
    }
  });

  it('hands the reason to the agent of a permission request, and records it in the audit log', async () => {
    const id = await createPermission();
    expect((await deny(id, { reason: REASON })).status).toBe(200);
    const read = await call(relay.url, `/api/v1/permissions/${id}`, { token: apiKey });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'denied', denialReason: REASON });
    const owners = await call(relay.url, `/api/v1/approvals/${id}`, { token: relay.ownerToken });
    expect(owners.body).toMatchObject({ kind: 'permission', status: 'denied', denialReason: REASON });

    const audit = await relay.ctx.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('target_id', '=', id)
      .where('action', '=', 'permission.denied')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(String(audit.details))).toMatchObject({ reason: REASON });
  });

  it('denies without a reason when there is no body, an empty object, or an empty JSON-typed body: no denialReason at all', async () => {
    // `curl -X POST -H 'Content-Type: application/json'`: the header, and nothing after it.
    const emptyTyped = (id: string) =>
      call(relay.url, `/api/v1/approvals/${id}/deny`, {
        method: 'POST',
        token: relay.ownerToken,
        headers: { 'content-type': 'application/json' },
        raw: '',
      });
    for (const send of [(id: string) => deny(id), (id: string) => deny(id, {}), emptyTyped]) {
      const id = await createOtp();
      expect((await send(id)).status).toBe(200);
      const read = await call(relay.url, `/api/v1/otp/${id}`, { token: apiKey });
      expect(read.body.status).toBe('denied');
      expect(read.body).not.toHaveProperty('denialReason');
    }
  });

  it('accepts a reason of exactly 500 characters, in any script', async () => {
    const id = await createOtp();
    const longest = 'Nein, bitte nicht: 用测试账户 🙂 '.repeat(30).slice(0, 500);
    expect(longest).toHaveLength(500);
    expect((await deny(id, { reason: longest })).status).toBe(200);
    const read = await call(relay.url, `/api/v1/otp/${id}`, { token: apiKey });
    expect(read.body.denialReason).toBe(longest.trim());
  });

  it('puts the reason in the signed webhook event of the denial', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const id = await createOtp(receiver.url);
      expect((await deny(id, { reason: REASON })).status).toBe(200);
      await eventually(async () => receiver.received.length >= 1);
      const [delivery] = receiver.received;
      const event = verifyWebhookSignature(delivery!.raw, delivery!.headers, webhookSecret);
      expect(WebhookEvent.parse(event)).toMatchObject({
        type: 'otp.denied',
        request_id: id,
        status: 'denied',
        denial_reason: REASON,
      });
      // The reason is under the signature: changing it breaks verification.
      expect(() =>
        verifyWebhookSignature(
          delivery!.raw.replace(REASON, 'Approved after all'),
          delivery!.headers,
          webhookSecret,
        ),
      ).toThrow();
    } finally {
      await receiver.close();
    }
  });
});
