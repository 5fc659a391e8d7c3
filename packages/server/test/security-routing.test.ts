// Issue 9 item 7 (a code goes to the most specific request; ties between agents are held for
// the owner) and item 11, second half (one request's failure never stops a message from
// reaching the next candidate).
import { createOwnerToken, sealOtpPayload } from '@agent-otp/core';
import { decryptOtpPayloadFor } from '@agent-otp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

type Keys = Awaited<ReturnType<typeof agentKeyPair>>;

describeEachDialect('routing by specificity, ambiguous messages held for the owner', (dialect) => {
  let relay: TestRelay;
  let sourceToken: string;
  let keys: Keys;
  let serial = 0;
  const agents = new Map<string, string>();

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    sourceToken = (await relay.createSource('email')).token;
    keys = await agentKeyPair();
  });
  afterAll(() => relay.stop());

  async function agentKey(name: string): Promise<string> {
    let key = agents.get(name);
    if (!key) {
      key = (await relay.createAgent({ name })).apiKey;
      agents.set(name, key);
    }
    return key;
  }

  /** An approved request of agent `name`; patterns are per test so earlier tests never interfere. */
  async function approvedRequest(name: string, senderPattern: string | null): Promise<string> {
    const created = await call(relay.url, '/api/v1/otp', {
      token: await agentKey(name),
      json: {
        reason: `${name} wants a code`,
        filter: { sources: ['email'], ...(senderPattern === null ? {} : { senderPattern }) },
        publicKey: keys.publicKey,
      },
    });
    expect(created.status).toBe(201);
    const approved = await relay.ownerFetch(`/api/v1/requests/${created.body.id}/approve`, {
      method: 'POST',
    });
    expect(approved.status).toBe(200);
    return created.body.id as string;
  }

  async function capture(from: string, code: string) {
    return call(relay.url, '/api/v1/capture/messages', {
      token: sourceToken,
      json: { from, subject: 'Your sign-in code', text: `Your sign-in code is ${code}` },
    });
  }

  async function consumeCode(name: string, id: string): Promise<string> {
    const consumed = await call(relay.url, `/api/v1/otp/${id}/consume`, {
      method: 'POST',
      token: await agentKey(name),
    });
    expect(consumed.status).toBe(200);
    return (await decryptOtpPayloadFor(consumed.body.encryptedPayload, keys.privateKey, id)).code;
  }

  async function status(name: string, id: string): Promise<string> {
    return (await call(relay.url, `/api/v1/otp/${id}`, { token: await agentKey(name) })).body.status;
  }

  /** Closes every open request so the next test starts clean. */
  async function cancelAll(...requests: [string, string][]) {
    for (const [name, id] of requests)
      await call(relay.url, `/api/v1/otp/${id}`, { method: 'DELETE', token: await agentKey(name) });
  }

  const code = () => `${7_310_000 + ++serial * 17}`;

  describe('a more specific request of another agent wins over an older broad one', () => {
    for (const broad of ['*', null, '*bank*'] as const) {
      it(`newsletter-bot ${broad === null ? 'with no pattern' : `"${broad}"`} loses to bank-bot *@bank.test`, async () => {
        const newsletter = await approvedRequest('newsletter-bot', broad);
        const bank = await approvedRequest('bank-bot', '*@bank.test');
        const sent = code();
        const captured = await capture('alerts@bank.test', sent);
        expect(captured.status).toBe(200);
        expect(captured.body.requestId).toBe(bank);
        expect(await consumeCode('bank-bot', bank)).toBe(sent);
        expect(await status('newsletter-bot', newsletter)).toBe('approved');
        await cancelAll(['newsletter-bot', newsletter]);
      });
    }

    it('an exact address beats a domain glob', async () => {
      const domain = await approvedRequest('domain-bot', '*@shop.test');
      const exact = await approvedRequest('exact-bot', 'codes@shop.test');
      const sent = code();
      const captured = await capture('Codes@Shop.test', sent);
      expect(captured.body.requestId).toBe(exact);
      expect(await consumeCode('exact-bot', exact)).toBe(sent);
      expect(await status('domain-bot', domain)).toBe('approved');
      await cancelAll(['domain-bot', domain]);
    });

    it('a domain glob beats a subdomain glob', async () => {
      const sub = await approvedRequest('sub-bot', '*@*.mail.test');
      const domain = await approvedRequest('dom-bot', '*@eu.mail.test');
      const captured = await capture('no-reply@eu.mail.test', code());
      expect(captured.body.requestId).toBe(domain);
      await cancelAll(['sub-bot', sub], ['dom-bot', domain]);
    });
  });

  it('two requests of the same agent that tie: the oldest gets the code, nothing is held', async () => {
    const first = await approvedRequest('same-bot', '*@same.test');
    const second = await approvedRequest('same-bot', '*@same.test');
    const captured = await capture('x@same.test', code());
    expect(captured.body).toMatchObject({ matched: true, requestId: first, reason: 'delivered' });
    expect(await status('same-bot', second)).toBe('approved');
    const held = await relay.ownerFetch('/api/v1/held-messages');
    expect((await held.json()).heldMessages).toEqual([]);
    await cancelAll(['same-bot', first], ['same-bot', second]);
  });

  describe('equal requests of two agents: the relay does not guess', () => {
    let alpha: string;
    let beta: string;
    let sent: string;
    let heldId: string;

    beforeAll(async () => {
      alpha = await approvedRequest('alpha-bot', '*@acme.test');
      beta = await approvedRequest('beta-bot', '*@acme.test');
      sent = code();
    });

    it('holds the message: nothing is delivered', async () => {
      const captured = await capture('login@acme.test', sent);
      expect(captured.status).toBe(200);
      expect(captured.body).toMatchObject({ matched: true, requestId: null, reason: 'held_for_owner' });
      heldId = captured.body.heldMessageId;
      expect(heldId).toMatch(/^hld_/);
      expect(await status('alpha-bot', alpha)).toBe('approved');
      expect(await status('beta-bot', beta)).toBe('approved');
    });

    it('lists the held message for the owner with both candidates', async () => {
      const response = await relay.ownerFetch('/api/v1/held-messages');
      expect(response.status).toBe(200);
      const { heldMessages } = await response.json();
      expect(heldMessages).toHaveLength(1);
      expect(heldMessages[0]).toMatchObject({ id: heldId, source: 'email', sender: 'login@acme.test' });
      const candidates = heldMessages[0].candidates.map(
        (c: { requestId: string; agent: { name: string } }) => [c.requestId, c.agent.name],
      );
      expect(candidates).toEqual(
        expect.arrayContaining([
          [alpha, 'alpha-bot'],
          [beta, 'beta-bot'],
        ]),
      );
      expect(candidates).toHaveLength(2);
    });

    it('stores no readable code (nor subject) anywhere', async () => {
      const dump = await relay.dumpDatabase();
      expect(dump).toContain(heldId);
      expect(dump).not.toContain(sent);
      expect(dump).not.toContain('sign-in code');
      for (const line of relay.logs) expect(line).not.toContain(sent);
    });

    it('another owner can neither list nor assign it', async () => {
      const otherId = 'usr_01JD2W9X3YH4Q7M5RZ8T6KCB2P';
      await relay.ctx.database.db
        .insertInto('users')
        .values({
          id: otherId,
          email: 'other@example.test',
          password_hash: null,
          created_at: new Date().toISOString(),
        })
        .execute();
      const token = await createOwnerToken(relay.ctx, otherId, 600);
      const listed = await call(relay.url, '/api/v1/held-messages', { token });
      expect(listed.status).toBe(200);
      expect(listed.body.heldMessages).toEqual([]);
      const assigned = await call(relay.url, `/api/v1/held-messages/${heldId}/assign`, {
        token,
        json: { requestId: beta },
      });
      expect(assigned.status).toBe(404);
      const discarded = await call(relay.url, `/api/v1/held-messages/${heldId}/discard`, {
        token,
        method: 'POST',
      });
      expect(discarded.status).toBe(404);
    });

    it('refuses a request that is not a candidate', async () => {
      const stranger = await approvedRequest('stranger-bot', '*@elsewhere.test');
      const assigned = await relay.ownerFetch(`/api/v1/held-messages/${heldId}/assign`, {
        method: 'POST',
        body: JSON.stringify({ requestId: stranger }),
      });
      expect(assigned.status).toBe(404);
      await cancelAll(['stranger-bot', stranger]);
    });

    it('the owner assigns it: that agent decrypts the right code, the other gets nothing', async () => {
      const assigned = await relay.ownerFetch(`/api/v1/held-messages/${heldId}/assign`, {
        method: 'POST',
        body: JSON.stringify({ requestId: beta }),
      });
      expect(assigned.status).toBe(200);
      expect(await assigned.json()).toMatchObject({ id: heldId, requestId: beta, status: 'otp_received' });
      expect(await consumeCode('beta-bot', beta)).toBe(sent);
      expect(await status('alpha-bot', alpha)).toBe('approved');
      const again = await relay.ownerFetch(`/api/v1/held-messages/${heldId}/assign`, {
        method: 'POST',
        body: JSON.stringify({ requestId: alpha }),
      });
      expect(again.status).toBe(409);
      const list = await (await relay.ownerFetch('/api/v1/held-messages')).json();
      expect(list.heldMessages).toEqual([]);
      const rows = await relay.ctx.database.db.selectFrom('held_message_candidates').selectAll().execute();
      expect(rows).toEqual([]);
      await cancelAll(['alpha-bot', alpha]);
    });
  });

  it('discard erases every held ciphertext', async () => {
    const one = await approvedRequest('one-bot', '*@tie.test');
    const two = await approvedRequest('two-bot', '*@tie.test');
    const captured = await capture('a@tie.test', code());
    expect(captured.body.reason).toBe('held_for_owner');
    const id = captured.body.heldMessageId as string;
    const before = await relay.ctx.database.db
      .selectFrom('held_message_candidates')
      .selectAll()
      .where('held_message_id', '=', id)
      .execute();
    expect(before).toHaveLength(2);
    const discarded = await relay.ownerFetch(`/api/v1/held-messages/${id}/discard`, { method: 'POST' });
    expect(discarded.status).toBe(200);
    const after = await relay.ctx.database.db
      .selectFrom('held_message_candidates')
      .selectAll()
      .where('held_message_id', '=', id)
      .execute();
    expect(after).toEqual([]);
    expect(await status('one-bot', one)).toBe('approved');
    expect(await status('two-bot', two)).toBe('approved');
    await cancelAll(['one-bot', one], ['two-bot', two]);
  });

  it('a request whose key cannot encrypt does not stop the message reaching the next candidate', async () => {
    const broken = await approvedRequest('broken-bot', 'codes@fallback.test');
    const next = await approvedRequest('next-bot', '*@fallback.test');
    // As if stored before keys were proven at creation: a key that no longer parses.
    await relay.ctx.database.db
      .updateTable('otp_requests')
      .set({ public_key: 'AAAA' })
      .where('id', '=', broken)
      .execute();
    const sent = code();
    const captured = await capture('codes@fallback.test', sent);
    expect(captured.status).toBe(200);
    expect(captured.body.requestId).toBe(next);
    expect(await consumeCode('next-bot', next)).toBe(sent);
    await cancelAll(['broken-bot', broken]);
  });

  describe('capture sources that encrypt on their side: POST /api/v1/capture/held', () => {
    const message = (from: string) => ({ source: 'email' as const, from, receivedAt: new Date() });
    const seal = (id: string, from: string, sent: string) =>
      sealOtpPayload({ id, publicKey: keys.publicKey }, message(from), sent);

    it('holds a tie sealed next to the mailbox; the owner assigns it', async () => {
      const a = await approvedRequest('remote-a', '*@remote.test');
      const b = await approvedRequest('remote-b', '*@remote.test');
      const sent = code();
      const receivedAt = new Date();
      const held = await call(relay.url, '/api/v1/capture/held', {
        token: sourceToken,
        json: {
          from: 'Codes <codes@remote.test>',
          receivedAt: receivedAt.toISOString(),
          payloads: [
            { requestId: a, encryptedPayload: await seal(a, 'codes@remote.test', sent) },
            { requestId: b, encryptedPayload: await seal(b, 'codes@remote.test', sent) },
          ],
        },
      });
      expect(held.status).toBe(200);
      expect(held.body.candidates).toEqual([a, b]);
      // A retry whose answer was lost gets the same held message back.
      const again = await call(relay.url, '/api/v1/capture/held', {
        token: sourceToken,
        json: {
          from: 'codes@remote.test',
          receivedAt: receivedAt.toISOString(),
          payloads: [
            { requestId: a, encryptedPayload: await seal(a, 'codes@remote.test', sent) },
            { requestId: b, encryptedPayload: await seal(b, 'codes@remote.test', sent) },
          ],
        },
      });
      expect(again.body.id).toBe(held.body.id);
      const listed = (await (await relay.ownerFetch('/api/v1/held-messages')).json()).heldMessages;
      expect(listed.find((m: { id: string }) => m.id === held.body.id).sender).toBe('codes@remote.test');
      const assigned = await relay.ownerFetch(`/api/v1/held-messages/${held.body.id}/assign`, {
        method: 'POST',
        body: JSON.stringify({ requestId: a }),
      });
      expect(assigned.status).toBe(200);
      expect(await consumeCode('remote-a', a)).toBe(sent);
      await cancelAll(['remote-b', b]);
    });

    it('refuses a payload sealed for another request, a non-tie, one agent twice, and a foreign request', async () => {
      const a = await approvedRequest('remote-c', '*@refuse.test');
      const b = await approvedRequest('remote-d', '*@refuse.test');
      const exact = await approvedRequest('remote-e', 'codes@refuse.test');
      const a2 = await approvedRequest('remote-c', '*@refuse.test');
      const from = 'codes@refuse.test';
      const hold = async (payloads: { requestId: string; encryptedPayload: string }[]) =>
        call(relay.url, '/api/v1/capture/held', {
          token: sourceToken,
          json: { from, receivedAt: new Date().toISOString(), payloads },
        });
      const swapped = await hold([
        { requestId: a, encryptedPayload: await seal(b, from, '1') },
        { requestId: b, encryptedPayload: await seal(b, from, '1') },
      ]);
      expect(swapped.status).toBe(400);
      const notTied = await hold([
        { requestId: a, encryptedPayload: await seal(a, from, '1') },
        { requestId: exact, encryptedPayload: await seal(exact, from, '1') },
      ]);
      expect(notTied.status).toBe(400);
      expect(notTied.body.error.message).toContain('equally well');
      const oneAgent = await hold([
        { requestId: a, encryptedPayload: await seal(a, from, '1') },
        { requestId: a2, encryptedPayload: await seal(a2, from, '1') },
      ]);
      expect(oneAgent.status).toBe(400);
      const foreign = 'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N';
      const unknown = await hold([
        { requestId: a, encryptedPayload: await seal(a, from, '1') },
        { requestId: foreign, encryptedPayload: await seal(foreign, from, '1') },
      ]);
      expect(unknown.status).toBe(404);
      const rows = await relay.ctx.database.db
        .selectFrom('held_messages')
        .selectAll()
        .where('sender', '=', from)
        .execute();
      expect(rows).toEqual([]);
      await cancelAll(['remote-c', a], ['remote-d', b], ['remote-e', exact], ['remote-c', a2]);
    });
  });

  it('a candidate that closed meanwhile is refused with 409; the message stays for another candidate', async () => {
    const a = await approvedRequest('late-a', '*@late.test');
    const b = await approvedRequest('late-b', '*@late.test');
    const sent = code();
    const captured = await capture('x@late.test', sent);
    const id = captured.body.heldMessageId as string;
    await cancelAll(['late-a', a]);
    const refused = await relay.ownerFetch(`/api/v1/held-messages/${id}/assign`, {
      method: 'POST',
      body: JSON.stringify({ requestId: a }),
    });
    expect(refused.status).toBe(409);
    const assigned = await relay.ownerFetch(`/api/v1/held-messages/${id}/assign`, {
      method: 'POST',
      body: JSON.stringify({ requestId: b }),
    });
    expect(assigned.status).toBe(200);
    expect(await consumeCode('late-b', b)).toBe(sent);
  });

  it('expiry erases held ciphertexts (the sweeper)', async () => {
    const a = await approvedRequest('exp-a', '*@exp.test');
    const b = await approvedRequest('exp-b', '*@exp.test');
    const captured = await capture('x@exp.test', code());
    const id = captured.body.heldMessageId as string;
    await relay.ctx.database.db
      .updateTable('held_messages')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', id)
      .execute();
    await eventually(async () => {
      const row = await relay.ctx.database.db
        .selectFrom('held_messages')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.status === 'expired';
    });
    const left = await relay.ctx.database.db
      .selectFrom('held_message_candidates')
      .selectAll()
      .where('held_message_id', '=', id)
      .execute();
    expect(left).toEqual([]);
    const late = await relay.ownerFetch(`/api/v1/held-messages/${id}/assign`, {
      method: 'POST',
      body: JSON.stringify({ requestId: a }),
    });
    expect(late.status).toBe(410);
    await cancelAll(['exp-a', a], ['exp-b', b]);
  });
});
