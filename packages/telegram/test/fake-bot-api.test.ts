import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiResponse, Message, TelegramUser, Update, WebhookInfo } from './support/bot-api-types.js';
import { type FakeBotApi, startFakeBotApi } from './support/fake-bot-api.js';

// Exercises the stand-in over HTTP exactly as grammY's client does: POST
// {apiRoot}/bot<token>/<method>, a JSON body with `content-type: application/json`, nested
// objects (reply_markup) as JSON, and `{ok, result | error_code, description}` answers.

const alice: TelegramUser = {
  id: 4242,
  is_bot: false,
  first_name: 'Alice',
  username: 'alice',
  language_code: 'en',
};

let fake: FakeBotApi;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options?: Parameters<typeof startFakeBotApi>[0]) {
  fake = await startFakeBotApi(options);
  cleanups.push(() => fake.close());
  return fake;
}

async function call<T>(
  method: string,
  payload: Record<string, unknown> = {},
  token = fake.token,
): Promise<{ status: number; body: ApiResponse<T> }> {
  const response = await fetch(`${fake.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'keep-alive' },
    // grammY drops null values the same way before sending.
    body: JSON.stringify(payload, (_key, value) => value ?? undefined),
  });
  return { status: response.status, body: (await response.json()) as ApiResponse<T> };
}

async function result<T>(method: string, payload: Record<string, unknown> = {}): Promise<T> {
  const { status, body } = await call<T>(method, payload);
  if (!body.ok) throw new Error(`${method} failed with ${status}: ${body.description}`);
  return body.result;
}

async function expectError(
  method: string,
  payload: Record<string, unknown>,
  code: number,
  description: string,
) {
  const { status, body } = await call(method, payload);
  expect(status).toBe(code);
  expect(body).toEqual({ ok: false, error_code: code, description });
}

const keyboard = {
  inline_keyboard: [
    [
      { text: '✅ Approve', callback_data: 'approve:req_1' },
      { text: '❌ Deny', callback_data: 'deny:req_1' },
    ],
  ],
};

describe('fake Bot API: basics', () => {
  it('answers getMe with the bot user', async () => {
    await start({ botUsername: 'otp_bot' });
    const { status, body } = await call<TelegramUser>('getMe');
    expect(status).toBe(200);
    expect(body).toEqual({ ok: true, result: fake.botUser });
    expect(fake.botUser).toMatchObject({
      is_bot: true,
      username: 'otp_bot',
      id: Number(fake.token.split(':')[0]),
    });
  });

  it('refuses any other token with 401 and an unknown method with 404', async () => {
    await start();
    const wrong = await call('getMe', {}, '123:wrong');
    expect(wrong).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    await expectError('sendSticker', {}, 404, 'Not Found: method not found');
    expect(fake.calls().map((c) => c.method)).toEqual(['sendSticker']);
  });

  it('matches method names case-insensitively and reads query-string and form parameters', async () => {
    await start({ knownChats: [alice] });
    const viaQuery = await fetch(`${fake.url}/bot${fake.token}/sendmessage?chat_id=${alice.id}&text=hi`);
    expect(((await viaQuery.json()) as ApiResponse<Message>).ok).toBe(true);
    const form = new URLSearchParams({
      chat_id: String(alice.id),
      text: 'pick',
      reply_markup: JSON.stringify(keyboard),
    });
    const viaForm = await fetch(`${fake.url}/bot${fake.token}/sendMessage`, { method: 'POST', body: form });
    const sent = (await viaForm.json()) as ApiResponse<Message>;
    expect(sent.ok && sent.result.reply_markup).toEqual(keyboard);
  });

  it('rejects malformed JSON and bodies over 1 MB', async () => {
    await start();
    const malformed = await fetch(`${fake.url}/bot${fake.token}/getMe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"chat_id": ',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      ok: false,
      error_code: 400,
      description: "Bad Request: can't parse JSON object",
    });
    const huge = await call('sendMessage', { chat_id: 1, text: 'x'.repeat(1024 * 1024 + 1) });
    expect(huge.status).toBe(413);
  });
});

describe('fake Bot API: getUpdates', () => {
  it('holds a long poll until an update arrives', async () => {
    await start();
    const begun = Date.now();
    const poll = result<Update[]>('getUpdates', { timeout: 10 });
    setTimeout(() => fake.sendUserMessage(alice, '/start abc'), 100);
    const updates = await poll;
    // Well before the 10 s the poll would otherwise be held (wide margin: CI shares two cores).
    expect(Date.now() - begun).toBeLessThan(6000);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.message).toMatchObject({
      message_id: 1,
      from: alice,
      chat: { id: alice.id, type: 'private', first_name: 'Alice', username: 'alice' },
      text: '/start abc',
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    });
  });

  it('answers [] when the timeout passes without updates', async () => {
    await start();
    const begun = Date.now();
    expect(await result<Update[]>('getUpdates', { timeout: 1 })).toEqual([]);
    const elapsed = Date.now() - begun;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(6000);
  });

  it('forgets updates once a higher offset confirms them, and honours limit', async () => {
    await start();
    const first = fake.sendUserMessage(alice, '/pending');
    const second = fake.sendUserMessage(alice, 'hello');
    expect(second.update_id).toBe(first.update_id + 1);
    expect((await result<Update[]>('getUpdates', { limit: 1 })).map((u) => u.update_id)).toEqual([
      first.update_id,
    ]);
    expect(await result<Update[]>('getUpdates')).toHaveLength(2);
    const rest = await result<Update[]>('getUpdates', { offset: first.update_id + 1 });
    expect(rest.map((u) => u.update_id)).toEqual([second.update_id]);
    expect(await result<Update[]>('getUpdates', { offset: second.update_id + 1 })).toEqual([]);
  });

  it('filters by allowed_updates and terminates an older poll with 409', async () => {
    await start();
    const older = call('getUpdates', { timeout: 5 });
    await fake.waitFor(() => fake.calls('getUpdates').length === 1);
    const newer = result<Update[]>('getUpdates', { timeout: 5, allowed_updates: ['callback_query'] });
    expect(await older).toEqual({
      status: 409,
      body: {
        ok: false,
        error_code: 409,
        description:
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      },
    });
    fake.sendUserMessage(alice, 'ignored: not an allowed update');
    const sent = await result<Message>('sendMessage', {
      chat_id: alice.id,
      text: 'pick',
      reply_markup: keyboard,
    });
    fake.pressButton(alice, sent, 'approve:req_1');
    const updates = await newer;
    expect(updates.map((u) => Object.keys(u).filter((k) => k !== 'update_id'))).toEqual([['callback_query']]);
  });

  it('releases a held poll immediately on close', async () => {
    await start();
    const poll = result<Update[]>('getUpdates', { timeout: 30 });
    await fake.waitFor(() => fake.calls('getUpdates').length === 1);
    const begun = Date.now();
    await fake.close();
    expect(await poll).toEqual([]);
    // Far below the poll's 30 s timeout (wide margin: CI shares two cores).
    expect(Date.now() - begun).toBeLessThan(10_000);
  });
});

describe('fake Bot API: sendMessage', () => {
  it('parses HTML into Telegram entities with UTF-16 offsets', async () => {
    await start({ knownChats: [alice] });
    const html =
      '🔐 <b>✅ Одобрено</b>: <code>req_1</code> от <i>агента</i> <a href="example.com">детали</a>\n<pre><code class="language-json">{"a":1}</code></pre>';
    const message = await result<Message>('sendMessage', {
      chat_id: alice.id,
      text: html,
      parse_mode: 'HTML',
    });
    expect(message.text).toBe('🔐 ✅ Одобрено: req_1 от агента детали\n{"a":1}');
    expect(message.entities).toEqual([
      { type: 'bold', offset: 3, length: 10 },
      { type: 'code', offset: 15, length: 5 },
      { type: 'italic', offset: 24, length: 6 },
      { type: 'text_link', offset: 31, length: 6, url: 'http://example.com/' },
      { type: 'pre', offset: 38, length: 7, language: 'json' },
    ]);
    expect(message).toMatchObject({
      message_id: 1,
      from: fake.botUser,
      chat: { id: alice.id, type: 'private' },
    });
    expect(fake.messages(alice.id)[0]).toMatchObject({
      source_text: html,
      parse_mode: 'HTML',
      text: message.text,
    });
  });

  it('rejects unknown and unbalanced tags with Telegram’s error text', async () => {
    await start({ knownChats: [alice] });
    const send = (text: string) => ({ chat_id: alice.id, text, parse_mode: 'HTML' });
    await expectError(
      'sendMessage',
      send('<b>bold'),
      400,
      `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`,
    );
    await expectError(
      'sendMessage',
      send('Привет <p>мир</p>'),
      400,
      `Bad Request: can't parse entities: Unsupported start tag "p" at byte offset 13`,
    );
    await expectError(
      'sendMessage',
      send('<b><i>x</b></i>'),
      400,
      `Bad Request: can't parse entities: Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`,
    );
    await expectError(
      'sendMessage',
      send('a </b>'),
      400,
      `Bad Request: can't parse entities: Unexpected end tag at byte offset 2`,
    );
    expect(fake.messages()).toEqual([]);
  });

  it('keeps escaped markup as literal text without entities', async () => {
    await start({ knownChats: [alice] });
    const message = await result<Message>('sendMessage', {
      chat_id: alice.id,
      text: '&lt;b&gt;not bold&lt;/b&gt; &amp; &quot;q&quot; &#9989;',
      parse_mode: 'HTML',
    });
    expect(message.text).toBe('<b>not bold</b> & "q" ✅');
    expect(message.entities).toBeUndefined();
  });

  it('validates chat, text and button data like Telegram', async () => {
    await start({ knownChats: [alice] });
    await expectError('sendMessage', { chat_id: 999, text: 'hi' }, 400, 'Bad Request: chat not found');
    await expectError(
      'sendMessage',
      { chat_id: alice.id, text: '' },
      400,
      'Bad Request: message text is empty',
    );
    await expectError(
      'sendMessage',
      { chat_id: alice.id, text: '<b> </b>\n', parse_mode: 'HTML' },
      400,
      'Bad Request: message text is empty',
    );
    await expectError(
      'sendMessage',
      { chat_id: alice.id, text: 'x'.repeat(4097) },
      400,
      'Bad Request: message is too long',
    );
    const tooLong = { inline_keyboard: [[{ text: 'x', callback_data: 'd'.repeat(65) }]] };
    await expectError(
      'sendMessage',
      { chat_id: alice.id, text: 'x', reply_markup: tooLong },
      400,
      'Bad Request: BUTTON_DATA_INVALID',
    );
  });
});

describe('fake Bot API: keyboards, edits and callback queries', () => {
  async function sendWithKeyboard(): Promise<Message> {
    fake.sendUserMessage(alice, '/start');
    return result<Message>('sendMessage', {
      chat_id: alice.id,
      text: 'Approve <b>req_1</b>?',
      parse_mode: 'HTML',
      reply_markup: keyboard,
    });
  }

  it('round-trips an inline keyboard and a button press', async () => {
    await start();
    const sent = await sendWithKeyboard();
    expect(sent.message_id).toBe(2); // the user's /start was message 1 in this private chat
    expect(sent.reply_markup).toEqual(keyboard);
    const press = fake.pressButton(alice, fake.messages(alice.id)[0]!, 'deny:req_1');
    const [update] = await result<Update[]>('getUpdates', { offset: press.update_id });
    const query = update?.callback_query;
    expect(query).toMatchObject({ from: alice, data: 'deny:req_1', message: sent });
    expect(typeof query?.id).toBe('string');
    expect(typeof query?.chat_instance).toBe('string');
    expect(() => fake.pressButton(alice, sent, 'nope')).toThrow(/no button with callback_data/);

    await expect(
      result('answerCallbackQuery', { callback_query_id: query?.id, text: 'Denied' }),
    ).resolves.toBe(true);
    expect(fake.answeredCallbacks()).toEqual([
      { callback_query_id: query?.id, text: 'Denied', show_alert: false },
    ]);
    await expectError(
      'answerCallbackQuery',
      { callback_query_id: query?.id },
      400,
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );
  });

  it('refuses an unknown callback query id', async () => {
    await start();
    await expectError(
      'answerCallbackQuery',
      { callback_query_id: '1234567890' },
      400,
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );
  });

  it('edits text, refuses a no-op edit, and drops the keyboard when reply_markup is omitted', async () => {
    await start();
    const sent = await sendWithKeyboard();
    const target = { chat_id: alice.id, message_id: sent.message_id };
    await expectError(
      'editMessageText',
      { ...target, text: 'Approve <b>req_1</b>?', parse_mode: 'HTML', reply_markup: keyboard },
      400,
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
    const edited = await result<Message>('editMessageText', {
      ...target,
      text: '✅ Approved by <i>Alice</i>',
      parse_mode: 'HTML',
    });
    expect(edited).toMatchObject({
      text: '✅ Approved by Alice',
      entities: [{ type: 'italic', offset: 14, length: 5 }],
    });
    expect(edited.reply_markup).toBeUndefined();
    expect(typeof edited.edit_date).toBe('number');
    const [stored] = fake.messages(alice.id);
    expect(stored?.history.map((v) => v.text)).toEqual(['Approve req_1?', '✅ Approved by Alice']);
    expect(stored?.reply_markup).toBeUndefined();
    await expectError(
      'editMessageText',
      { chat_id: alice.id, message_id: 99, text: 'x' },
      400,
      'Bad Request: message to edit not found',
    );
    await expectError(
      'editMessageText',
      { chat_id: alice.id, message_id: 1, text: 'x' },
      400,
      "Bad Request: message can't be edited",
    );
  });

  it('removes a keyboard with editMessageReplyMarkup, then reports not modified', async () => {
    await start();
    const sent = await sendWithKeyboard();
    const target = { chat_id: alice.id, message_id: sent.message_id };
    const edited = await result<Message>('editMessageReplyMarkup', target);
    expect(edited.text).toBe('Approve req_1?');
    expect(edited.reply_markup).toBeUndefined();
    await expectError(
      'editMessageReplyMarkup',
      target,
      400,
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
    expect(fake.messages(alice.id)[0]?.history).toHaveLength(2);
  });
});

describe('fake Bot API: webhooks', () => {
  async function startReceiver(
    secret: string,
    reply?: unknown,
  ): Promise<{ url: string; received: Update[] }> {
    const received: Update[] = [];
    const server: Server = createServer(async (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (req.headers['x-telegram-bot-api-secret-token'] !== secret) {
        res.writeHead(401).end();
        return;
      }
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Update);
      if (reply === undefined) res.writeHead(200).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram`, received };
  }

  it('delivers to the webhook with the secret header and blocks getUpdates meanwhile', async () => {
    await start();
    const receiver = await startReceiver('s3cr3t_token-1');
    await expectError(
      'setWebhook',
      { url: receiver.url, secret_token: 'not allowed!' },
      400,
      'Bad Request: secret token contains unallowed characters',
    );
    const set = await call('setWebhook', { url: receiver.url, secret_token: 's3cr3t_token-1' });
    expect(set.body).toEqual({ ok: true, result: true, description: 'Webhook was set' });
    expect(fake.webhook()).toEqual({ url: receiver.url, secret_token: 's3cr3t_token-1' });

    await expectError(
      'getUpdates',
      {},
      409,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );

    const update = fake.sendUserMessage(alice, '/start');
    expect(await fake.deliverWebhook(update, { secretToken: 'wrong' })).toBe(401);
    expect(await fake.deliverWebhook(update, { secretToken: null })).toBe(401);
    const info = await result<WebhookInfo>('getWebhookInfo');
    expect(info).toMatchObject({
      url: receiver.url,
      pending_update_count: 1,
      last_error_message: 'Wrong response from the webhook: 401 Unauthorized',
    });

    expect(await fake.deliverWebhook(update)).toBe(200);
    expect(receiver.received).toEqual([update]);
    expect((await result<WebhookInfo>('getWebhookInfo')).pending_update_count).toBe(0);

    expect((await call('deleteWebhook')).body).toEqual({
      ok: true,
      result: true,
      description: 'Webhook was deleted',
    });
    expect(await result<Update[]>('getUpdates')).toEqual([]);
  });

  it('executes a method returned in the webhook response, as Telegram does', async () => {
    await start();
    const receiver = await startReceiver('abc', {
      method: 'sendMessage',
      chat_id: alice.id,
      text: 'Hi from a webhook reply',
    });
    await result('setWebhook', { url: receiver.url, secret_token: 'abc' });
    expect(await fake.deliverWebhook(fake.sendUserMessage(alice, '/start'))).toBe(200);
    expect(fake.messages(alice.id).map((m) => m.text)).toEqual(['Hi from a webhook reply']);
    expect(fake.calls('sendMessage')[0]?.via).toBe('webhook_reply');
  });

  it('refuses webhook URLs beyond loopback', async () => {
    await start();
    await expectError(
      'setWebhook',
      { url: 'https://example.com/hook' },
      400,
      'Bad Request: bad webhook: the stand-in only delivers to loopback addresses (127.0.0.1, ::1, localhost)',
    );
  });
});

describe('fake Bot API: test hooks', () => {
  it('waits for state, injects failures such as 429, and simulates a blocked bot', async () => {
    await start({ knownChats: [alice] });
    const seen = fake.waitFor(() => fake.messages(alice.id).find((m) => m.text === 'later'));
    setTimeout(() => void result('sendMessage', { chat_id: alice.id, text: 'later' }), 50);
    expect((await seen).text).toBe('later');
    await expect(fake.waitFor(() => false, 50)).rejects.toThrow(/timed out after 50 ms/);

    fake.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 3',
      retry_after: 3,
    });
    const limited = await call('sendMessage', { chat_id: alice.id, text: 'x' });
    expect(limited).toEqual({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 3',
        parameters: { retry_after: 3 },
      },
    });
    fake.setBlocked(alice.id, true);
    await expectError(
      'sendMessage',
      { chat_id: alice.id, text: 'x' },
      403,
      'Forbidden: bot was blocked by the user',
    );
  });

  it('stores bot commands per scope', async () => {
    await start();
    const commands = [
      { command: 'start', description: 'Link this chat' },
      { command: 'pending', description: 'Show pending requests' },
    ];
    await expect(result('setMyCommands', { commands })).resolves.toBe(true);
    expect(await result('getMyCommands')).toEqual(commands);
    expect(fake.commands()).toEqual(commands);
    await result('deleteMyCommands');
    expect(await result('getMyCommands')).toEqual([]);
    await expect(result('sendChatAction', { chat_id: alice.id, action: 'typing' })).rejects.toThrow(
      /chat not found/,
    );
  });
});
