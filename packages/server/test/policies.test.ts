import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@agent-otp/config';
import { createServices } from '@agent-otp/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

const examples = fileURLToPath(new URL('../../../docs/examples/', import.meta.url));

/** Regression guard for issue 6: the policy engine governs permission and OTP requests. */
describeEachDialect('policies over HTTP', (dialect) => {
  describe('the seed README policies from POLICY_FILE', () => {
    let relay: TestRelay;
    let apiKey: string;
    beforeAll(async () => {
      relay = await startTestRelay(dialect, { env: { POLICY_FILE: join(examples, 'seed-policies.yaml') } });
      ({ apiKey } = await relay.createAgent({ name: 'seed-agent' }));
    });
    afterAll(() => relay.stop());
    const request = (body: Record<string, unknown>) =>
      call(relay.url, '/api/v1/permissions/request', { token: apiKey, json: body });

    it('auto-approves a small file read with the template scope, token in the response', async () => {
      const res = await request({
        action: 'file.read',
        resource: 'file:/notes.md',
        scope: { size_limit: 2048 },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'approved',
        scope: { max_size: 1048576, allowed_extensions: ['.txt', '.md', '.json'] },
        requestedScope: { size_limit: 2048 },
        policy: { id: 'file:1', name: 'Auto-approve file reads' },
        decision: { outcome: 'approved', by: 'policy:Auto-approve file reads', channel: 'policy' },
        tokenIssued: true,
      });
      expect(res.body.token).toMatch(/^otp_/);
      expect(
        (await call(relay.url, `/api/v1/permissions/${res.body.id}`, { token: apiKey })).body.token,
      ).toBeUndefined();
      const refused = await call(relay.url, `/api/v1/permissions/${res.body.id}/use`, {
        token: apiKey,
        json: { token: res.body.token, actionDetails: { extensions: ['.exe'] } },
      });
      expect(refused.body.error.code).toBe('SCOPE_VIOLATION');
      const audit = await relay.ctx.database.db
        .selectFrom('audit_events')
        .select(['action', 'actor_type', 'actor_id', 'channel'])
        .where('target_id', '=', res.body.id)
        .orderBy('seq')
        .execute();
      expect(audit.slice(0, 3)).toEqual([
        {
          action: 'permission.requested',
          actor_type: 'agent',
          actor_id: expect.stringMatching(/^agt_/),
          channel: 'api',
        },
        { action: 'permission.approved', actor_type: 'policy', actor_id: 'file:1', channel: 'policy' },
        {
          action: 'permission.token_issued',
          actor_type: 'agent',
          actor_id: expect.any(String),
          channel: 'api',
        },
      ]);
    });

    it('requires approval for bank.*, auto-approves internal mail, denies the rest', async () => {
      const bank = await request({ action: 'bank.transfer', resource: 'acct:1', scope: { amount: 10 } });
      expect(bank.body).toMatchObject({
        status: 'pending_approval',
        policy: { name: 'Financial operations require approval' },
      });
      const internal = await request({
        action: 'gmail.send',
        resource: 'email:bob@mycompany.com',
        context: { recipient: 'bob@mycompany.com', reason: 'weekly report' },
      });
      expect(internal.body).toMatchObject({
        status: 'approved',
        policy: { name: 'Auto-approve internal emails' },
      });
      const external = await request({
        action: 'gmail.send',
        resource: 'email:client@example.com',
        context: { recipient: 'client@example.com' },
      });
      expect(external.body).toMatchObject({
        status: 'denied',
        decision: { outcome: 'denied', by: 'policy:Default deny', channel: 'policy' },
      });
      expect(external.body.token).toBeUndefined();
      const big = await request({
        action: 'file.read',
        resource: 'file:/big.iso',
        scope: { size_limit: 5e9 },
      });
      expect(big.body.status).toBe('denied');
    });

    it('lists file policies for the owner and dry-runs a request', async () => {
      const listed = await (await relay.ownerFetch('/api/v1/policies')).json();
      expect(listed.policies.map((p: { id: string; source: string }) => [p.id, p.source])).toEqual([
        ['file:1', 'file'],
        ['file:2', 'file'],
        ['file:3', 'file'],
        ['file:4', 'file'],
      ]);
      const tested = await relay.ownerFetch('/api/v1/policies/test', {
        method: 'POST',
        body: JSON.stringify({ action: 'bank.wire', resource: 'acct:2' }),
      });
      expect(await tested.json()).toMatchObject({
        decision: 'require_approval',
        policy: { id: 'file:2', priority: 100 },
      });
      const removed = await relay.ownerFetch('/api/v1/policies/file:1', { method: 'DELETE' });
      expect(removed.status).toBe(400);
    });
  });

  describe('OTP requests and database policies', () => {
    let relay: TestRelay;
    let githubBot: { id: string; apiKey: string };
    let scraper: { id: string; apiKey: string };
    let publicKey: string;
    beforeAll(async () => {
      relay = await startTestRelay(dialect, { env: { POLICY_FILE: join(examples, 'otp-policies.yaml') } });
      githubBot = await relay.createAgent({ name: 'github-bot' });
      scraper = await relay.createAgent({ name: 'scraper' });
      ({ publicKey } = await agentKeyPair());
    });
    afterAll(() => relay.stop());
    const otp = (apiKey: string, filter: Record<string, unknown>) =>
      call(relay.url, '/api/v1/otp', { token: apiKey, json: { reason: 'Sign in', filter, publicKey } });

    it('auto-approves GitHub e-mail codes for github-bot and records the policy as the decider', async () => {
      const res = await otp(githubBot.apiKey, { sources: ['email'], senderPattern: '*@github.com' });
      expect(res.body).toMatchObject({
        status: 'approved',
        decision: { outcome: 'approved', by: 'policy:GitHub email codes for github-bot', channel: 'policy' },
      });
      const audit = await relay.ctx.database.db
        .selectFrom('audit_events')
        .select(['action', 'actor_type', 'details'])
        .where('target_id', '=', res.body.id)
        .orderBy('seq')
        .execute();
      expect(audit.map((a) => [a.action, a.actor_type])).toEqual([
        ['otp.requested', 'agent'],
        ['otp.approved', 'policy'],
      ]);
      expect(JSON.parse(audit[0]?.details ?? '{}')).toMatchObject({
        policyDecision: 'auto_approve',
        policy: 'GitHub email codes for github-bot',
      });
      const sms = await otp(githubBot.apiKey, { sources: ['sms', 'email'], senderPattern: '*@github.com' });
      expect(sms.body.status).toBe('pending_approval');
    });

    it('denies SMS codes for scraper at once', async () => {
      const denied = await otp(scraper.apiKey, { sources: ['sms'] });
      expect(denied.body).toMatchObject({ status: 'denied', decision: { by: 'policy:No SMS for scraper' } });
      expect((await otp(scraper.apiKey, { sources: ['email'] })).body.status).toBe('pending_approval');
    });

    it('applies database policies per agent, audits them, and removes them', async () => {
      const created = await relay.ownerFetch('/api/v1/policies', {
        method: 'POST',
        body: JSON.stringify({
          name: 'scraper may read docs',
          agentId: scraper.id,
          conditions: { action: { equals: 'docs.read' } },
          action: 'auto_approve',
          scopeTemplate: { max_uses: 2 },
        }),
      });
      expect(created.status).toBe(201);
      const policy = await created.json();
      expect(policy).toMatchObject({
        source: 'database',
        appliesTo: 'permission',
        agent: { id: scraper.id, name: 'scraper' },
      });
      const mine = await call(relay.url, '/api/v1/permissions/request', {
        token: scraper.apiKey,
        json: { action: 'docs.read', resource: 'docs:/' },
      });
      expect(mine.body).toMatchObject({ status: 'approved', usesRemaining: 2, policy: { id: policy.id } });
      const other = await call(relay.url, '/api/v1/permissions/request', {
        token: githubBot.apiKey,
        json: { action: 'docs.read', resource: 'docs:/' },
      });
      expect(other.body.status).toBe('pending_approval');

      const invalid = await relay.ownerFetch('/api/v1/policies', {
        method: 'POST',
        body: JSON.stringify({
          name: 'bad',
          conditions: { 'scope.x': { matches: '(?=a)' } },
          action: 'deny',
        }),
      });
      expect(invalid.status).toBe(400);

      expect((await relay.ownerFetch(`/api/v1/policies/${policy.id}`, { method: 'DELETE' })).status).toBe(
        200,
      );
      expect((await relay.ownerFetch(`/api/v1/policies/${policy.id}`, { method: 'DELETE' })).status).toBe(
        404,
      );
      const actions = await relay.ctx.database.db
        .selectFrom('audit_events')
        .select('action')
        .where('target_id', '=', policy.id)
        .orderBy('seq')
        .execute();
      expect(actions.map((a) => a.action)).toEqual(['policy.created', 'policy.removed']);
    });

    it('never auto-approves when a stored policy is broken (fail closed)', async () => {
      await relay.ctx.database.db
        .insertInto('policies')
        .values({
          id: 'pol_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
          owner_id: relay.owner.id,
          agent_id: null,
          name: 'corrupt',
          description: null,
          applies_to: 'otp',
          priority: 0,
          conditions: '{not json',
          action: 'deny',
          scope_template: null,
          enabled: 1,
          created_at: new Date().toISOString(),
        })
        .execute();
      const res = await otp(githubBot.apiKey, { sources: ['email'], senderPattern: '*@github.com' });
      expect(res.body.status).toBe('pending_approval');
      await relay.ctx.database.db.deleteFrom('policies').where('name', '=', 'corrupt').execute();
    });
  });

  it('an invalid POLICY_FILE stops start-up with a message naming the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-otp-policy-'));
    const file = join(dir, 'policies.yaml');
    writeFileSync(
      file,
      '- name: ok\n  action: deny\n- name: broken\n  conditions:\n    action: { startWith: "bank." }\n  action: deny\n',
    );
    const config = loadConfig({ DATA_DIR: dir, POLICY_FILE: file, LOG_LEVEL: 'silent' });
    await expect(createServices(config)).rejects.toThrow(`${file}:5:`);
    await expect(createServices(config)).rejects.toThrow(/startWith/);
  });
});
