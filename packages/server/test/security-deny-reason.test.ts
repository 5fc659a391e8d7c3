// Issue 15 "Deny with a reason", the attack side: the reason is text an owner types and an
// agent (and its logs, terminals, webhook receivers) will read, so anything that could
// disguise it or fail to store is refused with a 400 naming `reason`, and a refused denial
// leaves the request pending. Another owner still cannot touch the request at all.
import { createOwnerAccount, createOwnerToken } from '@agent-otp/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

/** Reasons that must be refused, each with why. */
const HOSTILE_REASONS: Array<[string, unknown]> = [
  ['501 characters', 'x'.repeat(501)],
  ['only whitespace', '   '],
  ['empty', ''],
  ['NUL', 'use\u0000staging'],
  ['a line break inside', 'use staging\nApproved: yes'],
  ['a tab', 'use\tstaging'],
  ['ESC (a terminal escape)', 'use \u001b[31mstaging'],
  ['DEL', 'use\u007fstaging'],
  ['a C1 control (NEL)', 'use\u0085staging'],
  ['a right-to-left override', 'use staging \u202Egnidaer'],
  ['a bidi isolate', 'use \u2066staging\u2069'],
  ['a right-to-left mark', 'use\u200Fstaging'],
  ['a lone surrogate', 'use \uD800 staging'],
  ['a number', 42],
  ['null', null],
];

describeEachDialect('deny with a reason: hostile input', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;
  let publicKey: string;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent({ name: 'hostile-reasons' }));
    ({ publicKey } = await agentKeyPair());
  });
  afterAll(() => relay.stop());

  async function createOtp(): Promise<string> {
    const created = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'Sign up at Acme', publicKey },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  async function expectStillPending(id: string): Promise<void> {
    const read = await call(relay.url, `/api/v1/otp/${id}`, { token: apiKey });
    expect(read.body.status).toBe('pending_approval');
    expect(read.body).not.toHaveProperty('denialReason');
    const row = await relay.ctx.database.db
      .selectFrom('otp_requests')
      .select(['status', 'denial_reason'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'pending_approval', denial_reason: null });
  }

  it.each(HOSTILE_REASONS)(
    'refuses a reason with %s: 400 naming reason, request still pending',
    async (_, reason) => {
      const id = await createOtp();
      const refused = await call(relay.url, `/api/v1/approvals/${id}/deny`, {
        token: relay.ownerToken,
        json: { reason },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_ERROR');
      expect(refused.body.error.message).toMatch(/^body\.reason: /);
      await expectStillPending(id);
    },
  );

  it('refuses unknown fields next to the reason', async () => {
    const id = await createOtp();
    const refused = await call(relay.url, `/api/v1/approvals/${id}/deny`, {
      token: relay.ownerToken,
      json: { reason: 'fine', approve: true },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('approve');
    await expectStillPending(id);
  });

  it('does not accept a reason on approve silently: 400 naming reason, still pending', async () => {
    const id = await createOtp();
    const refused = await call(relay.url, `/api/v1/approvals/${id}/approve`, {
      token: relay.ownerToken,
      json: { reason: 'looks fine' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('VALIDATION_ERROR');
    expect(refused.body.error.message).toContain('reason');
    await expectStillPending(id);
    // An approval with no body (or an empty object) works as before.
    const approved = await call(relay.url, `/api/v1/approvals/${id}/approve`, {
      token: relay.ownerToken,
      json: {},
    });
    expect(approved.status).toBe(200);
  });

  it("answers another owner's denial with a reason 404, as without one, and stores nothing", async () => {
    const id = await createOtp();
    // The first account claims the install's passwordless default owner (who owns `id`).
    const { claimed } = await createOwnerAccount(relay.ctx, {
      email: `owner-${dialect}@example.com`,
      password: 'the owner long passphrase',
      channel: 'cli',
    });
    expect(claimed).toBe(true);
    const { owner: other } = await createOwnerAccount(relay.ctx, {
      email: `other-${dialect}@example.com`,
      password: 'another long passphrase',
      channel: 'cli',
    });
    const otherToken = await createOwnerToken(relay.ctx, other.id, 300);
    for (const json of [{ reason: 'not yours to deny' }, undefined]) {
      const refused = await call(relay.url, `/api/v1/approvals/${id}/deny`, {
        method: 'POST',
        token: otherToken,
        ...(json === undefined ? {} : { json }),
      });
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe('NOT_FOUND');
    }
    await expectStillPending(id);
  });

  it('keeps the first decision: a second denial with another reason is 409 and changes nothing', async () => {
    const id = await createOtp();
    const first = await call(relay.url, `/api/v1/approvals/${id}/deny`, {
      token: relay.ownerToken,
      json: { reason: 'first words' },
    });
    expect(first.status).toBe(200);
    const second = await call(relay.url, `/api/v1/approvals/${id}/deny`, {
      token: relay.ownerToken,
      json: { reason: 'second thoughts' },
    });
    expect(second.status).toBe(409);
    const read = await call(relay.url, `/api/v1/otp/${id}`, { token: apiKey });
    expect(read.body.denialReason).toBe('first words');
  });
});
