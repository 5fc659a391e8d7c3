import { afterAll, beforeAll, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { alice, type RelayWithBot, startRelayWithBot } from './support/relay-with-bot.js';

// Webhook mode (TELEGRAM_WEBHOOK_URL): the relay serves POST /telegram/webhook and accepts
// an update only with the secret token it gave setWebhook.

describeEachDialect('Telegram bot in webhook mode', (dialect) => {
  let h: RelayWithBot;
  let hookUrl: string;

  beforeAll(async () => {
    h = await startRelayWithBot(dialect, { webhook: true });
    hookUrl = `${h.relay.url}/telegram/webhook`;
  });
  afterAll(() => h.stop());

  it('registers the webhook with a secret token that is not the bot token', () => {
    const hook = h.fake.webhook();
    expect(hook?.url).toBe(hookUrl);
    expect(hook?.secret_token).toMatch(/^[A-Za-z0-9_-]{16,256}$/);
    expect(hook?.secret_token).not.toContain(h.fake.token.split(':')[1]);
    expect(h.fake.calls('getUpdates')).toEqual([]);
  });

  it('refuses an update without the secret or with a wrong one, and runs it with the right one', async () => {
    const update = h.fake.sendUserMessage(alice, '/help');
    expect(await h.fake.deliverWebhook(update, { secretToken: null })).toBe(401);
    expect(await h.fake.deliverWebhook(update, { secretToken: 'wrong-secret-of-some-length' })).toBe(401);
    const secret = h.fake.webhook()?.secret_token ?? '';
    // Same length, one character off: still refused.
    const almost = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(await h.fake.deliverWebhook(update, { secretToken: almost })).toBe(401);
    expect(h.fake.messages(alice.id).filter((m) => m.text.includes('Agent OTP approvals'))).toEqual([]);

    expect(await h.fake.deliverWebhook(update)).toBe(200);
    const reply = await h.fake.waitFor(() =>
      h.fake.messages(alice.id).find((m) => m.text.includes('Agent OTP approvals')),
    );
    expect(reply.text).toContain('/pending');
  });

  it('answers 401 to a forged call before reading it, and 400 to a body that is not an update', async () => {
    const forged = await fetch(hookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ update_id: 99, message: { text: '/pending' } }),
    });
    expect(forged.status).toBe(401);
    const secret = h.fake.webhook()?.secret_token ?? '';
    const garbage = await fetch(hookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: '{"update_id": "not a number"}',
    });
    expect(garbage.status).toBe(400);
    const broken = await fetch(hookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: '{',
    });
    expect(broken.status).toBe(400);
  });

  it('a press delivered by webhook decides the request and wakes the agent', async () => {
    const id = await h.createRequest();
    const message = await h.messageAbout(id);
    const started = Date.now();
    const waiting = call(h.relay.url, `/api/v1/otp/${id}?wait=25`, { token: h.apiKey });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const press = h.fake.pressButton(alice, message, `a:${id}`);
    expect(await h.fake.deliverWebhook(press)).toBe(200);
    expect((await waiting).body.status).toBe('approved');
    expect(Date.now() - started).toBeLessThan(10_000);
    const edited = await h.messageWhen(id, (m) => m.reply_markup === undefined);
    expect(edited.text).toContain('via Telegram');
    // Neither the token nor the webhook secret reaches the log.
    const logs = h.relay.logs.join('\n');
    expect(logs).not.toContain(h.fake.token.split(':')[1]);
    expect(logs).not.toContain(h.fake.webhook()?.secret_token);
    expect(logs).toContain('refused a webhook call without the right secret token');
  });
});
