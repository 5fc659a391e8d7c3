import { createTelegramLinkToken, SYSTEM_ACTOR } from '@agent-otp/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';
import type { TelegramUser } from './support/bot-api-types.js';
import type { SentMessage } from './support/fake-bot-api.js';
import { alice, bob, mallory, type RelayWithBot, startRelayWithBot } from './support/relay-with-bot.js';

// Commands and deep-link linking, through long polling, in the real relay.

describeEachDialect('Telegram bot commands and linking', (dialect) => {
  let h: RelayWithBot;

  beforeAll(async () => {
    h = await startRelayWithBot(dialect);
  });
  afterAll(() => h.stop());

  /**
   * Sends a message as `user` and waits for the bot's reply that matches. Replies never carry
   * buttons, which tells them apart from approval requests arriving at the same time.
   */
  async function command(user: TelegramUser, text: string, match: RegExp): Promise<SentMessage> {
    const before = new Set(h.fake.messages(user.id).map((m) => m.message_id));
    h.fake.sendUserMessage(user, text);
    return h.fake.waitFor(() =>
      h.fake
        .messages(user.id)
        .find(
          (m) => !before.has(m.message_id) && m.history[0]?.reply_markup === undefined && match.test(m.text),
        ),
    );
  }

  it('/pending lists what waits for a decision; strangers are told to link first', async () => {
    const id = await h.createRequest({ reason: 'Pending list check' });
    await h.messageAbout(id);
    const list = await command(alice, '/pending', /waiting for your decision/);
    expect(list.text).toContain('Pending list check');
    expect(list.text).toContain(id);
    const refused = await command(mallory, '/pending', /not linked/);
    expect(refused.text).not.toContain(id);
    expect(refused.text).toContain('agent-otp telegram:link');
  });

  it('/status shows one request of the owner; other owners’ requests do not exist for them', async () => {
    const id = await h.createRequest({ reason: 'Status check' });
    await h.messageAbout(id);
    const shown = await command(alice, `/status ${id}`, /Status check/);
    expect(shown.text).toContain('Waiting for your decision');
    expect(shown.reply_markup).toBeUndefined();

    const otherOwner = 'usr_01ARZ3NDEKTSV4RRFFQ69G5OTH';
    await h.relay.ctx.database.db
      .insertInto('users')
      .values({
        id: otherOwner,
        email: 'other@example.com',
        password_hash: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    const { apiKey } = await h.relay.createAgent({ name: 'other-agent', ownerId: otherOwner });
    const { publicKey } = await agentKeyPair();
    const foreign = await call(h.relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'Not yours', publicKey },
    });
    expect(foreign.status).toBe(201);
    const missing = await command(alice, `/status ${foreign.body.id}`, /No request/);
    expect(missing.text).not.toContain('Not yours');
    const bad = await command(alice, '/status <b>', /Give a request id/);
    expect(bad.entities?.some((e) => e.type === 'bold')).toBe(false);
    // Alice is not linked to that owner, so she is never told about its requests.
    await h.createRequest({ reason: 'After the foreign one' }).then((later) => h.messageAbout(later));
    const announcements = h.fake.messages(alice.id).filter((m) => m.history[0]?.reply_markup !== undefined);
    expect(announcements.some((m) => m.text.includes(foreign.body.id))).toBe(false);
    expect(announcements.length).toBeGreaterThan(0);
  });

  it('/agents and /help answer linked users', async () => {
    const agents = await command(alice, '/agents', /• shopping-agent/);
    expect(agents.text).toMatch(/ak_live_\w+… \(live\)/);
    const help = await command(alice, '/help', /Agent OTP approvals/);
    expect(help.text).toContain('/pending');
    const stranger = await command(mallory, '/agents', /not linked/);
    expect(stranger.text).not.toContain('shopping-agent');
  });

  it('/start <token> links once: the new chat gets pending requests, a reused token is refused', async () => {
    const waiting = await h.createRequest({ reason: 'Waiting before Bob links' });
    await h.messageAbout(waiting);
    const { token } = await createTelegramLinkToken(h.relay.ctx, {
      ownerId: h.relay.owner.id,
      actor: SYSTEM_ACTOR,
    });
    expect(token).toMatch(/^tl_[A-Za-z0-9_-]{43}$/);
    const linked = await command(bob, `/start ${token}`, /Linked to/);
    expect(linked.text).toContain('owner@localhost');
    // What was already waiting is announced to the new chat, with buttons.
    const announced = await h.messageAbout(waiting, bob.id);
    expect(announced.reply_markup?.inline_keyboard[0]?.[0]?.callback_data).toBe(`a:${waiting}`);
    // New requests now go to both chats.
    const fresh = await h.createRequest({ reason: 'After Bob linked' });
    await h.messageAbout(fresh, alice.id);
    await h.messageAbout(fresh, bob.id);

    const reused = await command(mallory, `/start ${token}`, /not valid any more/);
    expect(reused.text).toContain('agent-otp telegram:link');
    const guessed = await command(mallory, `/start tl_${'A'.repeat(43)}`, /not valid any more/);
    expect(guessed).toBeDefined();
    await command(mallory, '/pending', /not linked/);

    // Bob decides from his chat; Alice's message about the same request is edited too.
    h.fake.pressButton(bob, announced, `a:${waiting}`);
    const inAlice = await h.messageWhen(waiting, (m) => m.reply_markup === undefined, alice.id);
    expect(inAlice.text).toMatch(/Approved by owner@localhost \(Telegram id 5151\) via Telegram/);
    const inBob = await h.messageWhen(waiting, (m) => m.reply_markup === undefined, bob.id);
    expect(inBob.text).toBe(inAlice.text);

    const audit = await h.relay.ctx.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('action', 'like', 'telegram.%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'telegram.linked',
      'telegram.link_created',
      'telegram.linked',
    ]);
    // Neither the link token nor its hash is kept in the audit trail.
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(await h.relay.dumpDatabase()).not.toContain(token);
  });

  it('answers 404 on the webhook route in polling mode and never logs the bot token', async () => {
    const res = await fetch(`${h.relay.url}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ update_id: 1 }),
    });
    expect(res.status).toBe(404);
    expect(h.relay.logs.length).toBeGreaterThan(0);
    expect(h.relay.logs.join('\n')).not.toContain(h.fake.token.split(':')[1]);
  });
});
