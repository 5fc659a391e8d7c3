import { createOwnerAccount, createOwnerToken } from '@agent-otp/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

// "Always allow like this" (issue 15): the relay drafts, from one request, the policy that
// auto-approves the next identical one; the owner saves it through the policy API.

const PASSWORD = 'a long enough passphrase';

describeEachDialect('always allow like this', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;
  let agentId: string;
  let bobToken: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    // The first account claims the relay's default owner; the second is another tenant.
    await createOwnerAccount(relay.ctx, { email: 'alice@example.com', password: PASSWORD, channel: 'cli' });
    const bob = await createOwnerAccount(relay.ctx, {
      email: 'bob@example.com',
      password: PASSWORD,
      channel: 'cli',
    });
    bobToken = await createOwnerToken(relay.ctx, bob.owner.id, 3600);
    ({ apiKey, id: agentId } = await relay.createAgent({ name: 'mailer' }));
  });
  afterAll(() => relay.stop());

  const askPermission = (body: Record<string, unknown>) =>
    call(relay.url, '/api/v1/permissions/request', { token: apiKey, json: body });
  const draftOf = async (id: string, token?: string) => {
    const res = await fetch(`${relay.url}/api/v1/approvals/${id}/policy-draft`, {
      headers: { authorization: `Bearer ${token ?? relay.ownerToken}` },
    });
    return { status: res.status, body: await res.json() };
  };
  const INVOICE = {
    action: 'gmail.send',
    resource: 'email:client@example.com',
    scope: { max_emails: 1, subject_pattern: '^Invoice.*' },
    context: { reason: 'Monthly invoice' },
  };

  it('drafts a policy that, once saved, auto-approves the next identical request only', async () => {
    const first = await askPermission(INVOICE);
    expect(first.body.status).toBe('pending_approval');
    const draft = await draftOf(first.body.id);
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({
      risk: 'low',
      warning: null,
      policy: {
        name: 'Always allow mailer: gmail.send on email:client@example.com',
        action: 'auto_approve',
        appliesTo: 'permission',
        agentId,
        priority: 0,
        conditions: {
          action: { equals: 'gmail.send' },
          resource: { equals: 'email:client@example.com' },
          'scope.max_emails': { lessThanOrEqual: 1 },
          'scope.subject_pattern': { equals: '^Invoice.*' },
        },
      },
    });
    // Nothing is stored by drafting.
    expect((await (await relay.ownerFetch('/api/v1/policies')).json()).policies).toEqual([]);

    const saved = await relay.ownerFetch('/api/v1/policies', {
      method: 'POST',
      body: JSON.stringify(draft.body.policy),
    });
    expect(saved.status).toBe(201);
    const policy = await saved.json();

    const next = await askPermission(INVOICE);
    expect(next.body).toMatchObject({ status: 'approved', policy: { id: policy.id } });
    // A broader ask (more emails) or another resource still waits for the owner.
    const broader = await askPermission({ ...INVOICE, scope: { ...INVOICE.scope, max_emails: 5 } });
    expect(broader.body.status).toBe('pending_approval');
    const elsewhere = await askPermission({ ...INVOICE, resource: 'email:someone-else@example.com' });
    expect(elsewhere.body.status).toBe('pending_approval');

    const audited = await relay.ctx.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', policy.id)
      .execute();
    expect(audited.map((event) => event.action)).toEqual(['policy.created']);
  });

  it('drafts an OTP rule on the sender pattern and sources', async () => {
    const { publicKey } = await agentKeyPair();
    const otp = {
      reason: 'Sign in to Acme',
      filter: { sources: ['email'], senderPattern: '*@acme.com' },
      publicKey,
    };
    const first = await call(relay.url, '/api/v1/otp', { token: apiKey, json: otp });
    const draft = await draftOf(first.body.id);
    expect(draft.body.policy).toMatchObject({
      appliesTo: 'otp',
      conditions: { 'otp.senderPattern': { equals: '*@acme.com' }, 'otp.sources': { in: ['email'] } },
    });
    expect(
      (
        await relay.ownerFetch('/api/v1/policies', {
          method: 'POST',
          body: JSON.stringify(draft.body.policy),
        })
      ).status,
    ).toBe(201);
    const next = await call(relay.url, '/api/v1/otp', { token: apiKey, json: otp });
    expect(next.body.status).toBe('approved');
    const anySender = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { ...otp, filter: { sources: ['email'] } },
    });
    expect(anySender.body.status).toBe('pending_approval');
  });

  it('warns before turning a high-risk request into a rule', async () => {
    const risky = await askPermission({ action: 'db.drop_table', resource: 'postgres://prod/users' });
    const draft = await draftOf(risky.body.id);
    expect(draft.body.risk).toBe('high');
    expect(draft.body.warning).toMatch(
      /^This request is high risk \(.+\)\. A policy approves every request like it/,
    );
  });

  it("refuses another owner's request, and a malformed ID", async () => {
    const mine = await askPermission({ action: 'docs.read', resource: 'docs:/' });
    expect((await draftOf(mine.body.id, bobToken)).status).toBe(404);
    expect((await draftOf('prm_not-an-id')).status).toBe(400);
    const unauthenticated = await fetch(`${relay.url}/api/v1/approvals/${mine.body.id}/policy-draft`);
    expect(unauthenticated.status).toBe(401);
  });
});
