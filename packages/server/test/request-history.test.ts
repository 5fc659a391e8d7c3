// Issue 15 "One history": both kinds in one owner history with filters, a timeline per
// request from the audit log, the owner revoking a permission token and cancelling an OTP
// request that holds a code. Real relay over HTTP, both dialects.
import { createOwnerToken } from '@agent-otp/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, call, eventually, sealCodeFor } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { startWebhookReceiver } from '../../../test-support/webhook-receiver.js';

describeEachDialect('the owner’s history of both kinds, timelines, revoke and cancel', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;
  let botId: string;
  let otherAgentKey: string;
  let source: { token: string };
  let keys: Awaited<ReturnType<typeof agentKeyPair>>;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ id: botId, apiKey } = await relay.createAgent({ name: 'invoice-bot' }));
    ({ apiKey: otherAgentKey } = await relay.createAgent({ name: 'other-bot' }));
    source = await relay.createSource('email');
    keys = await agentKeyPair();
  });
  afterAll(() => relay.stop());

  const owner = (path: string, method = 'GET') => call(relay.url, path, { method, token: relay.ownerToken });
  const requestPermission = async (key = apiKey, scope: Record<string, unknown> = {}) => {
    const created = await call(relay.url, '/api/v1/permissions/request', {
      token: key,
      json: {
        action: 'gmail.send',
        resource: 'email:client@example.com',
        scope,
        context: { reason: 'Invoice' },
      },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const requestOtp = async (key = apiKey) => {
    const created = await call(relay.url, '/api/v1/otp', {
      token: key,
      json: {
        reason: 'Sign in to Acme',
        expectedSender: 'noreply@acme.test',
        filter: { sources: ['email'] },
        publicKey: keys.publicKey,
      },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const approve = async (id: string) =>
    expect((await owner(`/api/v1/approvals/${id}/approve`, 'POST')).status).toBe(200);
  /** A permission approved by the owner, its token taken by the agent. */
  const approvedToken = async (scope: Record<string, unknown> = { max_uses: 3 }) => {
    const id = await requestPermission(apiKey, scope);
    await approve(id);
    const read = await call(relay.url, `/api/v1/permissions/${id}`, { token: apiKey });
    expect(read.body.token).toMatch(/^otp_/);
    return { id, token: read.body.token as string };
  };
  const use = (id: string, token: string) =>
    call(relay.url, `/api/v1/permissions/${id}/use`, { token: apiKey, json: { token } });
  const deliver = async (id: string) => {
    const delivered = await call(relay.url, `/api/v1/capture/requests/${id}/deliver`, {
      token: source.token,
      json: { encryptedPayload: await sealCodeFor(keys, id) },
    });
    expect(delivered.status).toBe(200);
  };

  describe('one history', () => {
    it('lists both kinds newest first with their kind, pages through them, and keeps the OTP default', async () => {
      const otp1 = await requestOtp();
      const prm1 = await requestPermission();
      const otp2 = await requestOtp();
      const prm2 = await requestPermission();
      const all = await owner('/api/v1/requests?kind=all&limit=200');
      expect(all.status).toBe(200);
      const ids = all.body.requests.map((r: { id: string }) => r.id);
      expect(ids.indexOf(prm2)).toBeLessThan(ids.indexOf(otp2));
      expect(ids.indexOf(otp2)).toBeLessThan(ids.indexOf(prm1));
      expect(ids.indexOf(prm1)).toBeLessThan(ids.indexOf(otp1));
      const byId = new Map(all.body.requests.map((r: { id: string }) => [r.id, r]));
      expect(byId.get(prm1)).toMatchObject({
        kind: 'permission',
        action: 'gmail.send',
        agent: { name: 'invoice-bot' },
      });
      expect(byId.get(otp1)).toMatchObject({ kind: 'otp', reason: 'Sign in to Acme' });

      // Pages of one, following nextCursor, give the same order with nothing lost or repeated.
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { requests: { id: string }[]; nextCursor: string | null } } = await owner(
          `/api/v1/requests?kind=all&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        paged.push(...page.body.requests.map((r) => r.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(paged).toEqual(ids);

      const otpOnly = await owner('/api/v1/requests?limit=200');
      expect(otpOnly.body.requests.every((r: { kind: string }) => r.kind === 'otp')).toBe(true);
      expect(otpOnly.body.requests.map((r: { id: string }) => r.id)).toContain(otp1);
      const permissionsOnly = await owner('/api/v1/requests?kind=permission&limit=200');
      expect(permissionsOnly.body.requests.map((r: { id: string }) => r.id)).toEqual(
        ids.filter((id: string) => id.startsWith('prm_')),
      );
    });

    it('filters by status, agent and date range, and refuses a status the kind does not have', async () => {
      const { id: approvedId } = await approvedToken();
      const otherId = await requestPermission(otherAgentKey);
      const approvedList = await owner('/api/v1/requests?kind=all&status=approved&limit=200');
      const approvedIds = approvedList.body.requests.map((r: { id: string }) => r.id);
      expect(approvedIds).toContain(approvedId);
      expect(approvedList.body.requests.every((r: { status: string }) => r.status === 'approved')).toBe(true);

      const mine = await owner(`/api/v1/requests?kind=all&agentId=${botId}&limit=200`);
      const mineIds = mine.body.requests.map((r: { id: string }) => r.id);
      expect(mineIds).toContain(approvedId);
      expect(mineIds).not.toContain(otherId);

      const future = new Date(Date.now() + 3_600_000).toISOString();
      const none = await owner(`/api/v1/requests?kind=all&since=${future}`);
      expect(none.body.requests).toEqual([]);
      const past = new Date(Date.now() - 3_600_000).toISOString();
      const before = await owner(`/api/v1/requests?kind=all&until=${past}`);
      expect(before.body.requests).toEqual([]);
      const window = await owner(`/api/v1/requests?kind=all&since=${past}&until=${future}&limit=200`);
      expect(window.body.requests.map((r: { id: string }) => r.id)).toContain(otherId);

      const wrong = await owner('/api/v1/requests?kind=otp&status=used');
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.message).toContain('used is not a status of an OTP request');
      const backwards = await owner(`/api/v1/requests?kind=all&since=${future}&until=${past}`);
      expect(backwards.status).toBe(400);
      expect(backwards.body.error.message).toContain('until must be after since');
      const wrongRisk = await owner('/api/v1/requests?kind=all&risk=severe');
      expect(wrongRisk.status).toBe(400);
      expect(wrongRisk.body.error.message).toContain('query.risk');
      const usedOnly = await owner('/api/v1/requests?kind=all&status=used');
      expect(usedOnly.status).toBe(200);
      expect(usedOnly.body.requests.every((r: { kind: string }) => r.kind === 'permission')).toBe(true);
    });

    it('filters by the risk assessed at creation', async () => {
      const dropTable = await call(relay.url, '/api/v1/permissions/request', {
        token: apiKey,
        json: { action: 'db.drop_table', resource: 'postgres://prod/users', scope: {} },
      });
      expect(dropTable.status).toBe(201);
      const calendar = await call(relay.url, '/api/v1/permissions/request', {
        token: apiKey,
        json: { action: 'calendar.read', resource: 'calendar:me', scope: {} },
      });
      const high = await owner('/api/v1/requests?kind=all&risk=high&limit=200');
      expect(high.status).toBe(200);
      const highIds = high.body.requests.map((r: { id: string }) => r.id);
      expect(highIds).toContain(dropTable.body.id);
      expect(highIds).not.toContain(calendar.body.id);
      expect(
        high.body.requests.every((r: { risk: { level: string } | null }) => r.risk?.level === 'high'),
      ).toBe(true);
      const low = await owner('/api/v1/requests?kind=permission&risk=low&limit=200');
      const lowIds = low.body.requests.map((r: { id: string }) => r.id);
      expect(lowIds).toContain(calendar.body.id);
      expect(lowIds).not.toContain(dropTable.body.id);
    });
  });

  describe('timeline', () => {
    it('tells an OTP request’s life: requested with key and filter, decided by whom where, delivered by which source, read', async () => {
      const id = await requestOtp();
      await approve(id);
      await deliver(id);
      expect(
        (await call(relay.url, `/api/v1/otp/${id}/consume`, { method: 'POST', token: apiKey })).status,
      ).toBe(200);
      const timeline = await owner(`/api/v1/requests/${id}/timeline`);
      expect(timeline.status).toBe(200);
      expect(timeline.body.request).toMatchObject({ id, kind: 'otp', status: 'consumed' });
      const steps = timeline.body.steps as {
        action: string;
        title: string;
        detail: string | null;
        actor: { type: string; channel: string };
      }[];
      expect(steps.map((s) => s.action)).toEqual([
        'otp.requested',
        'otp.approved',
        'otp.code_delivered',
        'otp.consumed',
      ]);
      const fingerprint = timeline.body.request.keyFingerprint as string;
      expect(steps[0]?.detail).toContain(`key ${fingerprint.slice(0, 4)} ${fingerprint.slice(4, 8)}`);
      expect(steps[0]?.detail).toContain('from noreply@acme.test');
      expect(steps[0]?.detail).toContain('asked you');
      expect(steps[1]).toMatchObject({
        title: `Approved by ${relay.owner.email}`,
        actor: { type: 'owner', channel: 'cli' },
      });
      expect(steps[1]?.detail).toBe('from the CLI');
      expect(steps[2]?.title).toMatch(/^Code delivered by /);
      expect(steps[2]?.detail).toContain('email source');
      expect(steps[3]?.title).toBe('Code read by the agent');
    });

    it('tells a permission’s life: scope, approval, token handed out, uses left, revocation', async () => {
      const { id, token } = await approvedToken({ max_uses: 3 });
      expect((await use(id, token)).status).toBe(200);
      expect((await owner(`/api/v1/requests/${id}/revoke`, 'POST')).status).toBe(200);
      const timeline = await owner(`/api/v1/requests/${id}/timeline`);
      expect(timeline.body.request).toMatchObject({
        id,
        kind: 'permission',
        status: 'cancelled',
        usesRemaining: 0,
      });
      const steps = timeline.body.steps as { action: string; title: string; detail: string | null }[];
      expect(steps.map((s) => s.action)).toEqual([
        'permission.requested',
        'permission.approved',
        'permission.token_issued',
        'permission.used',
        'permission.revoked',
      ]);
      expect(steps[0]?.detail).toContain('gmail.send on email:client@example.com; scope {"max_uses":3}');
      expect(steps[2]?.detail).toContain('3 uses granted');
      expect(steps[3]?.detail).toContain('2 uses left');
      expect(steps[4]?.title).toBe(`Token revoked by ${relay.owner.email}`);
      expect(steps[4]?.detail).toContain('2 uses taken away');
    });
  });

  it('names the policy that approved a permission without asking, and the uses it granted', async () => {
    const policy = await call(relay.url, '/api/v1/policies', {
      token: relay.ownerToken,
      json: {
        name: 'docs may be read',
        conditions: { action: { equals: 'docs.read' } },
        action: 'auto_approve',
        scopeTemplate: { max_uses: 2 },
      },
    });
    expect(policy.status).toBe(201);
    const requested = await call(relay.url, '/api/v1/permissions/request', {
      token: apiKey,
      json: { action: 'docs.read', resource: 'docs:handbook', scope: {} },
    });
    expect(requested.body.status).toBe('approved');
    const timeline = await owner(`/api/v1/requests/${requested.body.id}/timeline`);
    const steps = timeline.body.steps as { action: string; title: string; detail: string | null }[];
    expect(steps.map((s) => s.action)).toEqual([
      'permission.requested',
      'permission.approved',
      'permission.token_issued',
    ]);
    expect(steps[0]?.detail).toContain('policy docs may be read: auto approve');
    expect(steps[1]?.title).toBe('Approved by policy docs may be read');
    expect(steps[2]?.detail).toContain('2 uses granted');
    await call(relay.url, `/api/v1/policies/${policy.body.id}`, {
      method: 'DELETE',
      token: relay.ownerToken,
    });
  });

  describe('revoke and cancel', () => {
    it('revoking makes the token fail like an expired one, with its own code, and is final', async () => {
      const { id, token } = await approvedToken();
      const revoked = await owner(`/api/v1/requests/${id}/revoke`, 'POST');
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({ id, status: 'cancelled', usesRemaining: 0 });
      const refused = await use(id, token);
      expect(refused.status).toBe(410);
      expect(refused.body.error.code).toBe('TOKEN_REVOKED');
      const again = await owner(`/api/v1/requests/${id}/revoke`, 'POST');
      expect(again.status).toBe(410);
      expect(again.body.error.code).toBe('TOKEN_REVOKED');
      const audit = await relay.ctx.database.db
        .selectFrom('audit_events')
        .select(['action', 'actor_type'])
        .where('target_id', '=', id)
        .where('action', '=', 'permission.revoked')
        .execute();
      expect(audit).toEqual([{ action: 'permission.revoked', actor_type: 'owner' }]);
      // A pending request has no token: it is denied, not revoked.
      const pending = await requestPermission();
      const notYet = await owner(`/api/v1/requests/${pending}/revoke`, 'POST');
      expect(notYet.status).toBe(409);
      expect(notYet.body.error.code).toBe('INVALID_TRANSITION');
    });

    it('cancelling an OTP request holding a code erases the ciphertext from the row', async () => {
      const id = await requestOtp();
      await approve(id);
      await deliver(id);
      const before = await relay.ctx.database.db
        .selectFrom('otp_requests')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(before.encrypted_payload).not.toBeNull();
      const cancelled = await owner(`/api/v1/requests/${id}/cancel`, 'POST');
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ id, status: 'cancelled' });
      const row = await relay.ctx.database.db
        .selectFrom('otp_requests')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('cancelled');
      expect(row.encrypted_payload).toBeNull();
      // Nothing of the JWE is left anywhere in the row.
      const jweStart = String(before.encrypted_payload).slice(0, 40);
      expect(JSON.stringify(row)).not.toContain(jweStart);
      const consume = await call(relay.url, `/api/v1/otp/${id}/consume`, { method: 'POST', token: apiKey });
      expect(consume.body.error.code).toBe('OTP_CANCELLED');
      const timeline = await owner(`/api/v1/requests/${id}/timeline`);
      expect(timeline.body.steps.at(-1)).toMatchObject({
        action: 'otp.cancelled',
        detail: 'from the CLI; the code it held was erased',
      });
    });

    it('a revocation racing uses and the deadline: never more uses than granted, every loser told clearly', async () => {
      for (let round = 0; round < 4; round++) {
        const { id, token } = await approvedToken({ max_uses: 2 });
        const results = await Promise.all([
          use(id, token),
          owner(`/api/v1/requests/${id}/revoke`, 'POST'),
          use(id, token),
          use(id, token),
        ]);
        const [first, revoke, ...rest] = results;
        const uses = [first, ...rest];
        const spent = uses.filter((r) => r?.status === 200).length;
        expect(spent).toBeLessThanOrEqual(2);
        for (const refused of uses.filter((r) => r?.status !== 200))
          expect(['TOKEN_REVOKED', 'TOKEN_USED']).toContain(refused?.body.error.code);
        // The revocation wins unless both uses landed first.
        const row = await relay.ctx.database.db
          .selectFrom('permission_requests')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        if (revoke?.status === 200) {
          expect(revoke.body.usesRemaining).toBe(0);
          expect(row).toMatchObject({ status: 'cancelled', uses_remaining: 0 });
        } else {
          expect(revoke?.body.error.code).toBe('TOKEN_USED');
          expect(spent).toBe(2);
          expect(row).toMatchObject({ status: 'used', uses_remaining: 0 });
        }
      }
      // Past its deadline, a token is expired: revoking it says so, and so does using it.
      const { id, token } = await approvedToken();
      await relay.ctx.database.db
        .updateTable('permission_requests')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', id)
        .execute();
      const [revokeLate, useLate] = await Promise.all([
        owner(`/api/v1/requests/${id}/revoke`, 'POST'),
        use(id, token),
      ]);
      expect(revokeLate.body.error.code).toBe('OTP_EXPIRED');
      expect(useLate.body.error.code).toBe('OTP_EXPIRED');
    });
  });

  describe('tenancy', () => {
    it('another owner gets 404 for the timeline, revoke and cancel, and sees none of it in their history', async () => {
      const { id: permissionId } = await approvedToken();
      const otpId = await requestOtp();
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
      const otherToken = await createOwnerToken(relay.ctx, otherOwnerId, 300);
      const as = (path: string, method = 'GET') => call(relay.url, path, { method, token: otherToken });
      for (const [path, method] of [
        [`/api/v1/requests/${permissionId}/timeline`, 'GET'],
        [`/api/v1/requests/${otpId}/timeline`, 'GET'],
        [`/api/v1/requests/${permissionId}/revoke`, 'POST'],
        [`/api/v1/requests/${otpId}/cancel`, 'POST'],
      ] as const) {
        const refused = await as(path, method);
        expect(refused.status).toBe(404);
        expect(refused.body.error.code).toBe('NOT_FOUND');
      }
      expect((await as('/api/v1/requests?kind=all')).body.requests).toEqual([]);
      // Untouched: still the first owner's, still live.
      const still = await owner(`/api/v1/requests/${permissionId}/timeline`);
      expect(still.body.request.status).toBe('approved');
      expect((await owner(`/api/v1/requests/${otpId}`)).body.status).toBe('pending_approval');
      const malformed = await owner('/api/v1/requests/agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N/timeline');
      expect(malformed.status).toBe(400);
    });
  });
});

describeEachDialect('the owner’s revoke and cancel reach the agent’s webhook', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    relay = await startTestRelay(dialect, {
      env: { WEBHOOK_ALLOW_HTTP: '1', WEBHOOK_ALLOW_PRIVATE: '1', WEBHOOK_POLL_MS: '25' },
    });
    ({ apiKey } = await relay.createAgent({ name: 'hooked-bot' }));
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await relay?.stop();
    await receiver?.close();
  });

  const eventsFor = (id: string) =>
    receiver.received
      .map((r) => JSON.parse(r.raw))
      .filter((e: { request_id: string }) => e.request_id === id);

  it('sends permission.cancelled when the owner revokes a token, and otp.cancelled when they cancel a code request', async () => {
    const permission = await call(relay.url, '/api/v1/permissions/request', {
      token: apiKey,
      json: { action: 'gmail.send', resource: 'email:client@example.com', webhookUrl: receiver.url },
    });
    expect(permission.status).toBe(201);
    const id = permission.body.id as string;
    await relay.ownerFetch(`/api/v1/approvals/${id}/approve`, { method: 'POST' });
    expect(
      (await call(relay.url, `/api/v1/requests/${id}/revoke`, { method: 'POST', token: relay.ownerToken }))
        .status,
    ).toBe(200);
    const events = await eventually(async () => {
      const seen = eventsFor(id);
      return seen.length >= 2 && seen;
    });
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'permission.approved',
      'permission.cancelled',
    ]);
    expect(events[1]).toMatchObject({ kind: 'permission', status: 'cancelled', request_id: id });

    const { publicKey } = await agentKeyPair();
    const otp = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'Sign in to Acme', publicKey, webhookUrl: receiver.url },
    });
    expect(
      (
        await call(relay.url, `/api/v1/requests/${otp.body.id}/cancel`, {
          method: 'POST',
          token: relay.ownerToken,
        })
      ).status,
    ).toBe(200);
    const otpEvents = await eventually(async () => {
      const seen = eventsFor(otp.body.id);
      return seen.length >= 1 && seen;
    });
    expect(otpEvents.map((e: { type: string }) => e.type)).toEqual(['otp.cancelled']);
  });
});
