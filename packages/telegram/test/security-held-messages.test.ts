// Issue 9 item 7 on Telegram: a message that requests of two agents match equally well is
// held, and the linked chat gets one button per candidate plus Discard; only a linked user
// can act. Requests without a sender pattern read "any sender".
import { decryptOtpPayloadFor } from '@agent-otp/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { alice, mallory, type RelayWithBot, startRelayWithBot } from './support/relay-with-bot.js';

describeEachDialect('Telegram: held messages', (dialect) => {
  let h: RelayWithBot;
  let sourceToken: string;
  let otherKey: string;

  beforeAll(async () => {
    h = await startRelayWithBot(dialect);
    sourceToken = (await h.relay.createSource('email')).token;
    otherKey = (await h.relay.createAgent({ name: 'travel-agent' })).apiKey;
  });
  afterAll(() => h.stop());

  async function approvedRequest(token: string, senderPattern: string, publicKey: string) {
    const res = await call(h.relay.url, '/api/v1/otp', {
      token,
      json: { reason: 'Tie at Acme', filter: { sources: ['email'], senderPattern }, publicKey },
    });
    expect(res.status).toBe(201);
    await h.relay.ownerFetch(`/api/v1/requests/${res.body.id}/approve`, { method: 'POST' });
    return res.body.id as string;
  }

  async function heldFor(domain: string, code: string) {
    const captured = await call(h.relay.url, '/api/v1/capture/messages', {
      token: sourceToken,
      json: { from: `codes@${domain}`, subject: 'Code', text: `Your code is ${code}` },
    });
    expect(captured.body.reason).toBe('held_for_owner');
    return captured.body.heldMessageId as string;
  }

  it('a request without a sender pattern is shown as "any sender"', async () => {
    const id = await h.createRequest({ filter: { sources: ['email'] } });
    const message = await h.messageAbout(id);
    expect(message.text).toContain('Sender pattern: any sender');
  });

  it('announces a held message with one button per candidate and Discard; a stranger changes nothing; the owner assigns', async () => {
    const keys = await agentKeyPair();
    const mine = await approvedRequest(h.apiKey, '*@tie-a.test', keys.publicKey);
    const theirs = await approvedRequest(otherKey, '*@tie-a.test', keys.publicKey);
    const heldId = await heldFor('tie-a.test', '551902');
    const message = await h.messageAbout(heldId);
    expect(message.text).toContain('Which agent should get the code from codes@tie-a.test?');
    expect(message.text).toContain('shopping-agent');
    expect(message.text).toContain('travel-agent');
    expect(message.text).not.toContain('551902');
    expect(message.reply_markup).toEqual({
      inline_keyboard: [
        [{ text: '📨 Give to shopping-agent', callback_data: `g:${heldId}:${mine}` }],
        [{ text: '📨 Give to travel-agent', callback_data: `g:${heldId}:${theirs}` }],
        [{ text: '🗑 Discard', callback_data: `x:${heldId}` }],
      ],
    });
    for (const row of message.reply_markup?.inline_keyboard ?? [])
      for (const button of row) expect(Buffer.byteLength(button.callback_data ?? '')).toBeLessThanOrEqual(64);

    const stranger = h.fake.pressButton(mallory, message, `g:${heldId}:${theirs}`);
    const refused = await h.fake.waitFor(() =>
      h.fake.answeredCallbacks().find((a) => a.callback_query_id === stranger.callback_query?.id),
    );
    expect(refused.show_alert).toBe(true);
    expect(
      (await h.relay.ownerFetch('/api/v1/held-messages').then((r) => r.json())).heldMessages,
    ).toHaveLength(1);

    h.fake.pressButton(alice, message, `g:${heldId}:${theirs}`);
    const edited = await h.messageWhen(heldId, (m) => m.reply_markup === undefined);
    expect(edited.text).toContain('Given to travel-agent');
    const consumed = await call(h.relay.url, `/api/v1/otp/${theirs}/consume`, {
      method: 'POST',
      token: otherKey,
    });
    expect((await decryptOtpPayloadFor(consumed.body.encryptedPayload, keys.privateKey, theirs)).code).toBe(
      '551902',
    );
    expect((await call(h.relay.url, `/api/v1/otp/${mine}`, { token: h.apiKey })).body.status).toBe(
      'approved',
    );
    await call(h.relay.url, `/api/v1/otp/${mine}`, { method: 'DELETE', token: h.apiKey });
  });

  it('Discard erases the ciphertexts and edits the message', async () => {
    const keys = await agentKeyPair();
    const mine = await approvedRequest(h.apiKey, '*@tie-b.test', keys.publicKey);
    const theirs = await approvedRequest(otherKey, '*@tie-b.test', keys.publicKey);
    const heldId = await heldFor('tie-b.test', '118204');
    const message = await h.messageAbout(heldId);
    h.fake.pressButton(alice, message, `x:${heldId}`);
    const edited = await h.messageWhen(heldId, (m) => m.reply_markup === undefined);
    expect(edited.text).toContain('Discarded');
    const left = await h.relay.ctx.database.db
      .selectFrom('held_message_candidates')
      .selectAll()
      .where('held_message_id', '=', heldId)
      .execute();
    expect(left).toEqual([]);
    await call(h.relay.url, `/api/v1/otp/${mine}`, { method: 'DELETE', token: h.apiKey });
    await call(h.relay.url, `/api/v1/otp/${theirs}`, { method: 'DELETE', token: otherKey });
  });
});
