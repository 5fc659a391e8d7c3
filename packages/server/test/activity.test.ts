// Issue 15 "Activity charts": requests per day and agent by outcome, time to decide, time
// from approval to code, expiry and denial rates. Every request goes through the real
// lifecycle over HTTP (approve, deny, deliver, consume, use, cancel, expire by the sweeper)
// while the core clock is set by the test, so each duration is known to the millisecond.
// Real relay, both dialects.
import type { Clock } from '@agent-otp/core';
import { createOwnerToken } from '@agent-otp/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, call, eventually, sealCodeFor } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

const DAY_MS = 86_400_000;
const SECOND = 1000;

describeEachDialect('the owner’s activity', (dialect) => {
  let relay: TestRelay;
  let keyA: string;
  let keyB: string;
  let agentA: string;
  let agentB: string;
  let source: { token: string };
  let keys: Awaited<ReturnType<typeof agentKeyPair>>;
  /** Three UTC days that all lie in the past, so the owner's real-time token stays valid. */
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
  const day1 = today - 2 * DAY_MS + 10 * 3600 * SECOND;
  const day2 = day1 + DAY_MS;
  const day3 = day2 + DAY_MS;
  let clockMs = day1;
  const clock: Clock = { now: () => new Date(clockMs) };
  let otherOwnerToken: string;
  let otherAgent: string;

  const owner = (path: string, method = 'GET', token = relay.ownerToken) =>
    call(relay.url, path, { method, token });
  const requestOtp = async (apiKey: string) => {
    const created = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
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
  const requestPermission = async (apiKey: string) => {
    const created = await call(relay.url, '/api/v1/permissions/request', {
      token: apiKey,
      json: {
        action: 'gmail.send',
        resource: 'email:client@example.com',
        scope: { max_uses: 1 },
        context: { reason: 'Invoice' },
      },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const decide = async (id: string, outcome: 'approve' | 'deny') =>
    expect((await owner(`/api/v1/approvals/${id}/${outcome}`, 'POST')).status).toBe(200);
  const deliver = async (id: string) =>
    expect(
      (
        await call(relay.url, `/api/v1/capture/requests/${id}/deliver`, {
          token: source.token,
          json: { encryptedPayload: await sealCodeFor(keys, id) },
        })
      ).status,
    ).toBe(200);
  const consume = async (id: string, apiKey: string) =>
    expect(
      (await call(relay.url, `/api/v1/otp/${id}/consume`, { method: 'POST', token: apiKey })).status,
    ).toBe(200);
  const useToken = async (id: string, apiKey: string) => {
    const read = await call(relay.url, `/api/v1/permissions/${id}`, { token: apiKey });
    expect(read.body.token).toMatch(/^otp_/);
    const used = await call(relay.url, `/api/v1/permissions/${id}/use`, {
      token: apiKey,
      json: { token: read.body.token },
    });
    expect(used.body.status).toBe('used');
  };
  const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    relay.ctx.clock = clock;
    ({ id: agentA, apiKey: keyA } = await relay.createAgent({ name: 'invoice-bot' }));
    ({ id: agentB, apiKey: keyB } = await relay.createAgent({ name: 'other-bot' }));
    source = await relay.createSource('email');
    keys = await agentKeyPair();

    // Day 1, agent A: one OTP approved after 30 s whose code comes 10 s later, one denied
    // after 60 s, one left to expire; a permission approved after 120 s and its token used.
    clockMs = day1;
    const approvedOtp = await requestOtp(keyA);
    const deniedOtp = await requestOtp(keyA);
    const expiringOtp = await requestOtp(keyA);
    const usedPermission = await requestPermission(keyA);
    clockMs = day1 + 30 * SECOND;
    await decide(approvedOtp, 'approve');
    clockMs = day1 + 40 * SECOND;
    await deliver(approvedOtp);
    await consume(approvedOtp, keyA);
    clockMs = day1 + 60 * SECOND;
    await decide(deniedOtp, 'deny');
    clockMs = day1 + 120 * SECOND;
    await decide(usedPermission, 'approve');
    await useToken(usedPermission, keyA);
    clockMs = day1 + 301 * SECOND;
    await eventually(async () => {
      const read = await call(relay.url, `/api/v1/otp/${expiringOtp}`, { token: keyA });
      return read.body.status === 'expired';
    });

    // Day 2: agent B's code arrives 5 s in, is held, and released at the approval 20 s in
    // (0 s from approval to code); B's permission denied after 90 s; A cancels an OTP request.
    clockMs = day2;
    const heldOtp = await requestOtp(keyB);
    const deniedPermission = await requestPermission(keyB);
    const cancelledOtp = await requestOtp(keyA);
    clockMs = day2 + 5 * SECOND;
    await deliver(heldOtp);
    clockMs = day2 + 20 * SECOND;
    await decide(heldOtp, 'approve');
    await consume(heldOtp, keyB);
    clockMs = day2 + 90 * SECOND;
    await decide(deniedPermission, 'deny');
    clockMs = day2 + 100 * SECOND;
    expect(
      (await call(relay.url, `/api/v1/otp/${cancelledOtp}`, { method: 'DELETE', token: keyA })).status,
    ).toBe(200);

    // Day 3 (the clock's today): A's permission still pending.
    clockMs = day3;
    await requestPermission(keyA);
    clockMs = day3 + 10 * SECOND;

    // Another owner with an agent and a request of their own.
    const otherId = 'usr_01JD2W9X3YH4Q7M5RZ8T6KCB2Q';
    await relay.ctx.database.db
      .insertInto('users')
      .values({
        id: otherId,
        email: 'other@example.test',
        password_hash: null,
        created_at: new Date(day1).toISOString(),
      })
      .execute();
    otherOwnerToken = await createOwnerToken(relay.ctx, otherId, 3600);
    const other = await relay.createAgent({ name: 'someone-elses-bot', ownerId: otherId });
    otherAgent = other.id;
    await requestOtp(other.apiKey);
  });
  afterAll(() => relay.stop());

  describe('counts and figures', () => {
    it('counts each day’s requests per agent and kind by outcome, over the days asked for', async () => {
      const activity = await owner('/api/v1/activity?days=3');
      expect(activity.status).toBe(200);
      const { body } = activity;
      expect(body.from).toBe(new Date(today - 2 * DAY_MS).toISOString());
      expect(body.until).toBe(new Date(today + DAY_MS).toISOString());
      expect(body.dates).toEqual([dateOf(day1), dateOf(day2), dateOf(day3)]);
      expect(body.agents).toEqual([
        { id: agentA, name: 'invoice-bot' },
        { id: agentB, name: 'other-bot' },
      ]);
      const none = { approved: 0, denied: 0, expired: 0, cancelled: 0, pending: 0 };
      const row = (date: number, agentId: string, kind: string, outcomes: object) => ({
        date: dateOf(date),
        agentId,
        kind,
        outcomes: { ...none, ...outcomes },
      });
      const expected = [
        row(day1, agentA, 'otp', { approved: 1, denied: 1, expired: 1 }),
        row(day1, agentA, 'permission', { approved: 1 }),
        row(day2, agentA, 'otp', { cancelled: 1 }),
        row(day2, agentB, 'otp', { approved: 1 }),
        row(day2, agentB, 'permission', { denied: 1 }),
        row(day3, agentA, 'permission', { pending: 1 }),
      ];
      const byKey = (a: { date: string; agentId: string; kind: string }) =>
        `${a.date} ${a.agentId} ${a.kind}`;
      expect([...body.daily].sort((a, b) => byKey(a).localeCompare(byKey(b)))).toEqual(
        [...expected].sort((a, b) => byKey(a).localeCompare(byKey(b))),
      );
      expect(body.summary).toEqual({
        requests: 8,
        outcomes: { approved: 3, denied: 2, expired: 1, cancelled: 1, pending: 1 },
        // The owner's decisions took 30, 60, 120, 20 and 90 s.
        timeToDecide: { count: 5, medianMs: 60_000, p90Ms: 120_000 },
        // Codes came 10 s after one approval and were already held at the other.
        approvalToCode: { count: 2, medianMs: 0, p90Ms: 10_000 },
        expiryRate: 1 / 7,
        denialRate: 2 / 7,
        durationsSampled: false,
      });
    });

    it('narrows every count and figure to one agent', async () => {
      const { body } = await owner(`/api/v1/activity?days=3&agentId=${agentB}`);
      expect(body.agents).toEqual([{ id: agentB, name: 'other-bot' }]);
      expect(body.daily.every((day: { agentId: string }) => day.agentId === agentB)).toBe(true);
      expect(body.summary).toEqual({
        requests: 2,
        outcomes: { approved: 1, denied: 1, expired: 0, cancelled: 0, pending: 0 },
        timeToDecide: { count: 2, medianMs: 20_000, p90Ms: 90_000 },
        approvalToCode: { count: 1, medianMs: 0, p90Ms: 0 },
        expiryRate: 0,
        denialRate: 0.5,
        durationsSampled: false,
      });
    });

    it('leaves out the days before the range, and says null where nothing was measured', async () => {
      const twoDays = await owner('/api/v1/activity?days=2');
      expect(twoDays.body.dates).toEqual([dateOf(day2), dateOf(day3)]);
      expect(twoDays.body.summary.requests).toBe(4);
      expect(twoDays.body.summary.timeToDecide).toEqual({ count: 2, medianMs: 20_000, p90Ms: 90_000 });

      const onlyToday = await owner('/api/v1/activity?days=1');
      expect(onlyToday.body.summary).toEqual({
        requests: 1,
        outcomes: { approved: 0, denied: 0, expired: 0, cancelled: 0, pending: 1 },
        timeToDecide: { count: 0, medianMs: null, p90Ms: null },
        approvalToCode: { count: 0, medianMs: null, p90Ms: null },
        expiryRate: null,
        denialRate: null,
        durationsSampled: false,
      });

      const byDefault = await owner('/api/v1/activity');
      expect(byDefault.body.dates).toHaveLength(14);
      expect(byDefault.body.summary.requests).toBe(8);
    });
  });

  describe('automatic decisions', () => {
    // Last in the file: the figures above are asserted without this agent's request.
    it('counts a policy’s approval but leaves it out of the time to decide', async () => {
      const robot = await relay.createAgent({ name: 'auto-bot' });
      const policy = await relay.ownerFetch('/api/v1/policies', {
        method: 'POST',
        body: JSON.stringify({
          name: 'auto-bot may send invoices',
          agentId: robot.id,
          conditions: { action: { equals: 'gmail.send' } },
          action: 'auto_approve',
        }),
      });
      expect(policy.status).toBe(201);
      const id = await requestPermission(robot.apiKey);
      const read = await call(relay.url, `/api/v1/permissions/${id}`, { token: robot.apiKey });
      expect(read.body.status).toBe('approved');

      const { body } = await owner(`/api/v1/activity?days=3&agentId=${robot.id}`);
      expect(body.summary.outcomes.approved).toBe(1);
      expect(body.summary.timeToDecide).toEqual({ count: 0, medianMs: null, p90Ms: null });
      const everyone = await owner('/api/v1/activity?days=3');
      expect(everyone.body.summary.requests).toBe(9);
      expect(everyone.body.summary.timeToDecide).toEqual({ count: 5, medianMs: 60_000, p90Ms: 120_000 });
    });
  });

  describe('tenants and bad input', () => {
    it('shows each owner only their own requests, even asked for another owner’s agent', async () => {
      const theirs = await owner('/api/v1/activity?days=3', 'GET', otherOwnerToken);
      expect(theirs.status).toBe(200);
      expect(theirs.body.agents).toEqual([{ id: otherAgent, name: 'someone-elses-bot' }]);
      expect(theirs.body.summary.outcomes).toEqual({
        approved: 0,
        denied: 0,
        expired: 0,
        cancelled: 0,
        pending: 1,
      });

      const snooping = await owner(`/api/v1/activity?days=3&agentId=${agentA}`, 'GET', otherOwnerToken);
      expect(snooping.status).toBe(200);
      expect(snooping.body.daily).toEqual([]);
      expect(snooping.body.agents).toEqual([]);
      expect(snooping.body.summary.requests).toBe(0);

      const mine = await owner(`/api/v1/activity?days=3&agentId=${otherAgent}`);
      expect(mine.body.summary.requests).toBe(0);
    });

    it('refuses days outside 1..90 and a malformed agent ID with 400, and an agent key with 401', async () => {
      for (const days of ['0', '91', '-3', '2.5', 'week']) {
        const refused = await owner(`/api/v1/activity?days=${days}`);
        expect(refused.status, `days=${days}`).toBe(400);
        expect(refused.body.error.code).toBe('VALIDATION_ERROR');
        expect(refused.body.error.message).toContain('days');
      }
      const badAgent = await owner('/api/v1/activity?agentId=not-an-agent');
      expect(badAgent.status).toBe(400);
      const asAgent = await call(relay.url, '/api/v1/activity', { token: keyA });
      expect(asAgent.status).toBe(401);
    });
  });
});
