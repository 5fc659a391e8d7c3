import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOwnerAccount, createOwnerToken } from '@agent-otp/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

// Issue 15, Policies page: PATCH /api/v1/policies/{id} edits a database policy (definition,
// agent, priority, enabled), checked like a new one and audited; the real engine honours it.

/** One file policy, about actions these tests never ask for, so it shows but never decides. */
function policyFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'agent-otp-policy-update-')), 'policies.yaml');
  writeFileSync(
    file,
    '- name: banking needs me\n  conditions:\n    action: { startsWith: "bank." }\n  action: require_approval\n',
  );
  return file;
}
const PASSWORD = 'a long enough passphrase';

describeEachDialect('editing a policy over HTTP (issue 15)', (dialect) => {
  let relay: TestRelay;
  let ownerToken: string;
  let bobToken: string;
  let mailer: { id: string; apiKey: string };
  let reader: { id: string; apiKey: string };

  beforeAll(async () => {
    relay = await startTestRelay(dialect, { env: { POLICY_FILE: policyFile() } });
    const alice = await createOwnerAccount(relay.ctx, {
      email: 'alice@example.com',
      password: PASSWORD,
      channel: 'cli',
    });
    ownerToken = await createOwnerToken(relay.ctx, alice.owner.id, 3600);
    const bob = await createOwnerAccount(relay.ctx, {
      email: 'bob@example.com',
      password: PASSWORD,
      channel: 'cli',
    });
    bobToken = await createOwnerToken(relay.ctx, bob.owner.id, 3600);
    mailer = await relay.createAgent({ name: 'mailer' });
    reader = await relay.createAgent({ name: 'reader' });
  });
  afterAll(() => relay.stop());

  const owner = (path: string, method: string, json?: unknown, token = ownerToken) =>
    call(relay.url, path, { method, token, ...(json === undefined ? {} : { json }) });
  const create = async (body: Record<string, unknown>) => {
    const res = await owner('/api/v1/policies', 'POST', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  };
  const patch = (id: string, body: unknown, token = ownerToken) =>
    owner(`/api/v1/policies/${id}`, 'PATCH', body, token);
  const ask = (agent: { apiKey: string }, action: string) =>
    call(relay.url, '/api/v1/permissions/request', {
      token: agent.apiKey,
      json: { action, resource: 'docs:/handbook' },
    });
  const auditOf = async (id: string) =>
    (
      await relay.ctx.database.db
        .selectFrom('audit_events')
        .select(['action', 'details'])
        .where('target_id', '=', id)
        .orderBy('seq')
        .execute()
    ).map((row) => ({ action: row.action, details: JSON.parse(row.details ?? '{}') }));

  it('changes only the fields sent, returns the policy, and audits each change with old and new value', async () => {
    const policy = await create({
      name: 'docs reads',
      conditions: { action: { equals: 'docs.read' } },
      action: 'deny',
    });
    const res = await patch(policy.id, {
      name: 'docs reads for the reader',
      description: 'the handbook only',
      action: 'auto_approve',
      conditions: { action: { equals: 'docs.read' }, resource: { startsWith: 'docs:/' } },
      scopeTemplate: { max_uses: 3 },
      risk: 'elevated',
      agentId: reader.id,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      id: policy.id,
      source: 'database',
      name: 'docs reads for the reader',
      description: 'the handbook only',
      action: 'auto_approve',
      priority: 0,
      appliesTo: 'permission',
      scopeTemplate: { max_uses: 3 },
      risk: 'elevated',
      agent: { id: reader.id, name: 'reader' },
      enabled: true,
    });
    const listed = (await owner('/api/v1/policies', 'GET')).body.policies;
    expect(listed.find((p: { id: string }) => p.id === policy.id)).toEqual(res.body);

    expect((await ask(reader, 'docs.read')).body).toMatchObject({ status: 'approved', usesRemaining: 3 });
    expect((await ask(mailer, 'docs.read')).body.status).toBe('pending_approval');

    const audit = await auditOf(policy.id);
    expect(audit.map((a) => a.action)).toEqual(['policy.created', 'policy.updated']);
    expect(audit[1]?.details).toMatchObject({
      name: 'docs reads for the reader',
      changes: {
        name: { from: 'docs reads', to: 'docs reads for the reader' },
        action: { from: 'deny', to: 'auto_approve' },
        agentId: { from: null, to: reader.id },
        risk: { from: null, to: 'elevated' },
        scopeTemplate: { from: null, to: { max_uses: 3 } },
      },
    });
    expect(Object.keys(audit[1]?.details.changes).sort()).toEqual([
      'action',
      'agentId',
      'conditions',
      'description',
      'name',
      'risk',
      'scopeTemplate',
    ]);

    // null clears: every agent again, no template, no risk, no description.
    const cleared = await patch(policy.id, {
      agentId: null,
      scopeTemplate: null,
      risk: null,
      description: null,
    });
    expect(cleared.body).toMatchObject({ agent: null, scopeTemplate: null, risk: null, description: null });
    expect((await ask(mailer, 'docs.read')).body).toMatchObject({
      status: 'approved',
      policy: { id: policy.id },
    });
    await patch(policy.id, { enabled: false });
  });

  it('a disabled policy decides nothing, in the engine and in the dry run; enabling it restores it', async () => {
    const policy = await create({
      name: 'wiki edits',
      conditions: { action: { equals: 'wiki.edit' } },
      action: 'auto_approve',
    });
    expect((await ask(mailer, 'wiki.edit')).body.status).toBe('approved');

    const disabled = await patch(policy.id, { enabled: false });
    expect(disabled.body.enabled).toBe(false);
    const pending = await ask(mailer, 'wiki.edit');
    expect(pending.body).toMatchObject({ status: 'pending_approval' });
    expect(pending.body.policy ?? null).toBeNull();
    const dryRun = await owner('/api/v1/policies/test', 'POST', { action: 'wiki.edit' });
    expect(dryRun.body).toMatchObject({ decision: 'require_approval', policy: null });
    expect((await auditOf(policy.id)).at(-1)?.details.changes).toEqual({
      enabled: { from: true, to: false },
    });

    await patch(policy.id, { enabled: true });
    expect((await ask(mailer, 'wiki.edit')).body).toMatchObject({
      status: 'approved',
      policy: { id: policy.id },
    });
    await patch(policy.id, { enabled: false });
  });

  it('a priority change changes which policy decides', async () => {
    const allow = await create({
      name: 'allow deploys',
      conditions: { action: { equals: 'ci.deploy' } },
      action: 'auto_approve',
    });
    const deny = await create({
      name: 'deny deploys',
      conditions: { action: { equals: 'ci.deploy' } },
      action: 'deny',
    });
    // Equal priority: the more cautious action wins.
    expect((await ask(mailer, 'ci.deploy')).body).toMatchObject({
      status: 'denied',
      policy: { id: deny.id },
    });
    const raised = await patch(allow.id, { priority: 5 });
    expect(raised.body.priority).toBe(5);
    expect((await ask(mailer, 'ci.deploy')).body).toMatchObject({
      status: 'approved',
      policy: { id: allow.id },
    });
    await patch(deny.id, { priority: 6 });
    expect((await ask(mailer, 'ci.deploy')).body).toMatchObject({
      status: 'denied',
      policy: { id: deny.id },
    });
    await patch(allow.id, { enabled: false });
    await patch(deny.id, { enabled: false });
  });

  it('refuses an unusable change with VALIDATION_ERROR naming where, and stores nothing', async () => {
    const policy = await create({
      name: 'calendar',
      conditions: { action: { equals: 'calendar.create' } },
      action: 'deny',
    });
    const otpOnPermission = await patch(policy.id, { conditions: { 'otp.sources': { in: ['sms'] } } });
    expect(otpOnPermission.status).toBe(400);
    expect(otpOnPermission.body.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(otpOnPermission.body.error.message).toContain('conditions.otp.sources');
    expect(otpOnPermission.body.error.message).toContain('appliesTo');
    // With appliesTo the same conditions are fine: the change is checked as a whole.
    const asOtp = await patch(policy.id, {
      conditions: { 'otp.sources': { in: ['sms'] } },
      appliesTo: 'otp',
    });
    expect(asOtp.status).toBe(200);
    expect(asOtp.body.appliesTo).toBe('otp');

    for (const [body, where] of [
      [{}, 'at least one field'],
      [{ priority: 1.5 }, 'priority'],
      [{ action: 'maybe' }, 'action'],
      [{ owner: 'someone' }, 'owner'],
      [{ conditions: { 'scope.x': { matches: '(?=a)' } } }, 'matches'],
      [{ conditions: { nowhere: { equals: 1 } } }, 'conditions.nowhere'],
      [{ name: '  ' }, 'name'],
    ] as const) {
      const refused = await patch(policy.id, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_ERROR');
      expect(JSON.stringify(refused.body.error)).toContain(where);
    }
    const unknownAgent = await patch(policy.id, { agentId: 'agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N' });
    expect(unknownAgent.status).toBe(404);
    const stored = (await owner('/api/v1/policies', 'GET')).body.policies.find(
      (p: { id: string }) => p.id === policy.id,
    );
    expect(stored).toMatchObject({
      appliesTo: 'otp',
      conditions: { 'otp.sources': { in: ['sms'] } },
      agent: null,
    });
    expect((await auditOf(policy.id)).map((a) => a.action)).toEqual(['policy.created', 'policy.updated']);
  });

  it('refuses to edit a POLICY_FILE policy, saying to edit the file', async () => {
    const refused = await patch('file:1', { enabled: false });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CONFLICT');
    expect(refused.body.error.message).toMatch(/POLICY_FILE.*edit the file/);
    const listed = (await owner('/api/v1/policies', 'GET')).body.policies;
    expect(listed[0]).toMatchObject({ id: 'file:1', enabled: true });
    expect((await patch('not-a-policy', { enabled: false })).status).toBe(400);
  });

  it("another owner gets NOT_FOUND for alice's policy and changes nothing", async () => {
    const policy = await create({
      name: 'alice only',
      conditions: { action: { equals: 'notes.read' } },
      action: 'deny',
    });
    const missing = await patch(policy.id, { enabled: false, name: 'hijacked' }, bobToken);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    const bobs = (await owner('/api/v1/policies', 'GET', undefined, bobToken)).body.policies;
    expect(bobs.some((p: { id: string }) => p.id === policy.id)).toBe(false);
    const alices = (await owner('/api/v1/policies', 'GET')).body.policies;
    expect(alices.find((p: { id: string }) => p.id === policy.id)).toMatchObject({
      name: 'alice only',
      enabled: true,
    });
    expect((await auditOf(policy.id)).map((a) => a.action)).toEqual(['policy.created']);
    const unauthenticated = await fetch(`${relay.url}/api/v1/policies/${policy.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    expect(unauthenticated.status).toBe(401);
  });
});
