// Issue 15 "Risk at a glance": every request is assessed when it is created (built-in rules,
// the owner's settings for them, a matching policy's `risk`), the assessment is stored and
// shown to the owner (approvals, request detail), never to the agent, and an owner can change
// or turn off each rule. Real relay over HTTP, both dialects.
import { createAgent, SYSTEM_ACTOR } from '@agent-otp/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

describeEachDialect('risk at a glance', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ apiKey } = await createAgent(relay.ctx, {
      ownerId: relay.owner.id,
      name: 'risky-agent',
      test: false,
      actor: SYSTEM_ACTOR,
    }));
  });
  afterAll(() => relay.stop());

  const owner = (path: string, options: { method?: string; json?: unknown } = {}) =>
    call(relay.url, path, { token: relay.ownerToken, ...options });

  async function requestPermission(action: string, resource: string, scope: object = {}): Promise<string> {
    const created = await call(relay.url, '/api/v1/permissions/request', {
      token: apiKey,
      json: { action, resource, scope },
    });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('risk');
    return created.body.id;
  }

  it('rates db.drop_table on postgres://prod/users high with both reasons, and calendar.create low', async () => {
    const drop = await requestPermission('db.drop_table', 'postgres://prod/users');
    const calendar = await requestPermission('calendar.create', 'calendar:primary');
    const approval = await owner(`/api/v1/approvals/${drop}`);
    expect(approval.status).toBe(200);
    expect(approval.body.risk).toEqual({
      level: 'high',
      reasons: [
        {
          rule: 'destructive-verb',
          level: 'high',
          text: "deletes data: the action `db.drop_table` contains the verb 'drop'",
        },
        {
          rule: 'production-resource',
          level: 'elevated',
          text: "touches production: the resource `postgres://prod/users` has the segment 'prod'",
        },
      ],
    });
    const queue = await owner('/api/v1/approvals');
    const levels = Object.fromEntries(
      queue.body.approvals.map((a: { id: string; risk: { level: string } }) => [a.id, a.risk.level]),
    );
    expect(levels[drop]).toBe('high');
    expect(levels[calendar]).toBe('low');
    // The agent's own view never carries it.
    const asAgent = await call(relay.url, `/api/v1/permissions/${drop}`, { token: apiKey });
    expect(asAgent.status).toBe(200);
    expect(asAgent.body).not.toHaveProperty('risk');
  });

  it('flags an OTP request with no sender pattern and a first key; the same key later is not new', async () => {
    const { publicKey } = await agentKeyPair();
    const first = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'Sign up', publicKey },
    });
    expect(first.status).toBe(201);
    expect(first.body).not.toHaveProperty('risk');
    const detail = await owner(`/api/v1/requests/${first.body.id}`);
    expect(detail.body.risk.level).toBe('elevated');
    expect(detail.body.risk.reasons.map((r: { rule: string }) => r.rule)).toEqual(['broad-otp', 'new-key']);
    const second = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'Sign in', publicKey, filter: { senderPattern: '*@acme.com' } },
    });
    expect(second.status).toBe(201);
    const again = await owner(`/api/v1/approvals/${second.body.id}`);
    expect(again.body.risk).toEqual({ level: 'low', reasons: [] });
  });

  it('lists the rules; an owner’s change applies to new requests only', async () => {
    const listed = await owner('/api/v1/risk-rules');
    expect(listed.status).toBe(200);
    expect(listed.body.rules.map((r: { id: string }) => r.id)).toEqual([
      'destructive-verb',
      'production-resource',
      'money',
      'broad-otp',
      'new-key',
    ]);
    expect(listed.body.rules[0]).toMatchObject({ defaultLevel: 'high', level: 'high' });

    const before = await requestPermission('files.delete', 'drive:reports');
    const off = await owner('/api/v1/risk-rules/destructive-verb', { method: 'PUT', json: { level: 'off' } });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: 'destructive-verb', level: 'off', defaultLevel: 'high' });
    const lowered = await owner('/api/v1/risk-rules/production-resource', {
      method: 'PUT',
      json: { level: 'low' },
    });
    expect(lowered.body.level).toBe('low');
    expect((await owner('/api/v1/risk-rules')).body.rules[1]).toMatchObject({ level: 'low' });

    const after = await requestPermission('db.drop_table', 'postgres://prod/users');
    expect((await owner(`/api/v1/approvals/${after}`)).body.risk).toEqual({
      level: 'low',
      reasons: [expect.objectContaining({ rule: 'production-resource', level: 'low' })],
    });
    // Assessed once, at creation: the earlier request keeps what the owner was shown.
    expect((await owner(`/api/v1/approvals/${before}`)).body.risk.level).toBe('high');

    const audit = await owner('/api/v1/audit?limit=20');
    expect(audit.body.events.map((e: { action: string }) => e.action)).toContain('risk_rule.changed');
    await owner('/api/v1/risk-rules/destructive-verb', { method: 'PUT', json: { level: 'high' } });
    await owner('/api/v1/risk-rules/production-resource', { method: 'PUT', json: { level: 'elevated' } });
  });

  it('adds the matching policy’s risk', async () => {
    const policy = await owner('/api/v1/policies', {
      method: 'POST',
      json: {
        name: 'calendar writes are watched',
        action: 'require_approval',
        conditions: { action: { equals: 'calendar.delete_all' } },
        risk: 'elevated',
      },
    });
    expect(policy.status).toBe(201);
    expect(policy.body.risk).toBe('elevated');
    const id = await requestPermission('calendar.delete_all', 'calendar:primary');
    const risk = (await owner(`/api/v1/approvals/${id}`)).body.risk;
    expect(risk.level).toBe('high');
    expect(risk.reasons).toContainEqual({
      rule: 'policy',
      level: 'elevated',
      text: 'the policy "calendar writes are watched" rates it elevated',
    });
  });

  // Approvals without a step-up read nothing before their update (issue 18): the decision's
  // own transaction refuses a high-risk request and rolls back, on every owner route.
  it('refuses a high-risk OTP approval without a passkey step-up: it stays pending, nothing is recorded, deny still works', async () => {
    await owner('/api/v1/risk-rules/broad-otp', { method: 'PUT', json: { level: 'high' } });
    try {
      const { publicKey } = await agentKeyPair();
      const created = await call(relay.url, '/api/v1/otp', {
        token: apiKey,
        json: { reason: 'Any sender', publicKey },
      });
      expect(created.status).toBe(201);
      const id: string = created.body.id;
      expect((await owner(`/api/v1/requests/${id}`)).body.risk.level).toBe('high');
      for (const path of [`/api/v1/requests/${id}/approve`, `/api/v1/approvals/${id}/approve`]) {
        const refused = await owner(path, { method: 'POST' });
        expect(refused.status, path).toBe(403);
        expect(refused.body.error.code).toBe('STEP_UP_REQUIRED');
        expect(refused.body.error.message).toContain(`/approvals/${id}`);
      }
      expect((await owner(`/api/v1/requests/${id}`)).body.status).toBe('pending_approval');
      const audit = await owner('/api/v1/audit?limit=50');
      const actions = audit.body.events
        .filter((e: { targetId: string | null }) => e.targetId === id)
        .map((e: { action: string }) => e.action);
      expect(actions).toEqual(['otp.requested']);
      const denied = await owner(`/api/v1/requests/${id}/deny`, { method: 'POST' });
      expect(denied.status).toBe(200);
      expect(denied.body.status).toBe('denied');
    } finally {
      await owner('/api/v1/risk-rules/broad-otp', { method: 'PUT', json: { level: 'elevated' } });
    }
  });

  describe('refuses bad settings with a 4xx naming the problem', () => {
    it('an unknown rule is 404, a bad level 400', async () => {
      const unknown = await owner('/api/v1/risk-rules/wire-money', {
        method: 'PUT',
        json: { level: 'high' },
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toMatch(/no risk rule wire-money/);
      const bad = await owner('/api/v1/risk-rules/money', { method: 'PUT', json: { level: 'extreme' } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/level/);
      const extra = await owner('/api/v1/risk-rules/money', {
        method: 'PUT',
        json: { level: 'low', note: 1 },
      });
      expect(extra.status).toBe(400);
      const anonymous = await call(relay.url, '/api/v1/risk-rules');
      expect(anonymous.status).toBe(401);
      const asAgent = await call(relay.url, '/api/v1/risk-rules', { token: apiKey });
      expect(asAgent.status).toBeGreaterThanOrEqual(401);
    });
  });
});
