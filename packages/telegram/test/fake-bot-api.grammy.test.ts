import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bot, GrammyError, InlineKeyboard, webhookCallback } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message, TelegramUser } from './support/bot-api-types.js';
import { type FakeBotApi, startFakeBotApi } from './support/fake-bot-api.js';

// An unmodified grammY Bot against the stand-in.

const g = { Bot, GrammyError, InlineKeyboard, webhookCallback };

const alice: TelegramUser = { id: 4242, is_bot: false, first_name: 'Alice', username: 'alice' };

let fake: FakeBotApi;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(): Promise<{ g: typeof g; bot: Bot }> {
  fake = await startFakeBotApi({ knownChats: [alice] });
  cleanups.push(() => fake.close());
  const bot = new g.Bot(fake.token, { client: { apiRoot: fake.url } });
  return { g, bot };
}

/** Starts long polling and registers a stop before the fake closes (grammY's stop() makes one last call). */
async function startPolling(bot: Bot): Promise<void> {
  let failure: unknown;
  bot.catch((error) => {
    failure = error;
  });
  await new Promise<void>((resolve, reject) => {
    const running = bot.start({ onStart: () => resolve() });
    running.catch(reject);
    cleanups.push(async () => {
      await bot.stop();
      await running;
      if (failure) throw failure;
    });
  });
}

async function rejection(promise: Promise<unknown>): Promise<GrammyError> {
  try {
    await promise;
  } catch (error) {
    return error as GrammyError;
  }
  throw new Error('expected the call to fail');
}

describe('grammY Bot against the fake Bot API', () => {
  it('initialises from getMe', async () => {
    const { bot } = await setup();
    await bot.init();
    expect(bot.botInfo).toEqual(fake.botUser);
    expect(fake.calls().map((c) => c.method)).toEqual(['getMe']);
  });

  it('long-polls a command, sends a keyboard, handles the press and confirms the offset on stop', async () => {
    const { g, bot } = await setup();
    bot.command('start', (ctx) =>
      ctx.reply(`Hello <b>${ctx.from?.first_name}</b>, code <code>${String(ctx.match)}</code>`, {
        parse_mode: 'HTML',
        reply_markup: new g.InlineKeyboard()
          .text('✅ Approve', 'approve:req_1')
          .text('❌ Deny', 'deny:req_1'),
      }),
    );
    bot.callbackQuery(/^(approve|deny):(.+)$/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: 'Approved' });
      await ctx.editMessageText('✅ <b>Approved</b>', { parse_mode: 'HTML' });
    });
    await startPolling(bot);

    const command = fake.sendUserMessage(alice, '/start abc');
    const sent = await fake.waitFor(() => fake.messages(alice.id)[0]);
    expect(sent.text).toBe('Hello Alice, code abc');
    expect(sent.entities).toEqual([
      { type: 'bold', offset: 6, length: 5 },
      { type: 'code', offset: 18, length: 3 },
    ]);
    expect(sent.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: '✅ Approve', callback_data: 'approve:req_1' },
          { text: '❌ Deny', callback_data: 'deny:req_1' },
        ],
      ],
    });

    const press = fake.pressButton(alice, sent, 'approve:req_1');
    const edited = await fake.waitFor(() => fake.messages(alice.id).find((m) => m.history.length === 2));
    expect(edited).toMatchObject({ text: '✅ Approved', entities: [{ type: 'bold', offset: 2, length: 8 }] });
    expect(edited.reply_markup).toBeUndefined();
    expect(fake.answeredCallbacks()).toEqual([
      { callback_query_id: press.callback_query?.id, text: 'Approved', show_alert: false },
    ]);
    expect(fake.calls('deleteWebhook')).toHaveLength(1);
    expect(fake.calls('getUpdates')[0]?.body).toMatchObject({ offset: 1, timeout: 30 });

    await cleanups.pop()?.(); // stop the bot now to observe its confirming call
    const last = fake.calls('getUpdates').at(-1);
    expect(last?.body).toEqual({ offset: press.update_id + 1, limit: 1 });
    expect(press.update_id).toBe(command.update_id + 1);
  });

  it('surfaces Telegram errors as GrammyError with the real descriptions', async () => {
    const { g, bot } = await setup();
    const parse = await rejection(bot.api.sendMessage(alice.id, '<b>unclosed', { parse_mode: 'HTML' }));
    expect(parse).toBeInstanceOf(g.GrammyError);
    expect(parse.error_code).toBe(400);
    expect(parse.description).toBe(
      `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`,
    );

    const message = await bot.api.sendMessage(alice.id, 'Pending', {
      reply_markup: { inline_keyboard: [[{ text: 'Deny', callback_data: 'deny:1' }]] },
    });
    const same = await rejection(
      bot.api.editMessageText(alice.id, message.message_id, 'Pending', {
        reply_markup: message.reply_markup,
      }),
    );
    expect(same.description).toMatch(/^Bad Request: message is not modified/);
    const removed = await bot.api.editMessageReplyMarkup(alice.id, message.message_id);
    expect(removed).toMatchObject({ message_id: message.message_id, text: 'Pending' });
    expect((removed as Message).reply_markup).toBeUndefined();

    fake.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      retry_after: 1,
    });
    const limited = await rejection(bot.api.sendMessage(alice.id, 'x'));
    expect(limited.error_code).toBe(429);
    expect(limited.parameters.retry_after).toBe(1);

    await bot.api.setMyCommands([{ command: 'pending', description: 'Show pending requests' }]);
    expect(await bot.api.getMyCommands()).toEqual([
      { command: 'pending', description: 'Show pending requests' },
    ]);
  });

  it('runs on a webhook with a secret token', async () => {
    const { g, bot } = await setup();
    bot.command('start', (ctx) => ctx.reply('Linked'));
    const server: Server = createServer(g.webhookCallback(bot, 'http', { secretToken: 'hook_secret-1' }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

    await bot.api.setWebhook(url, { secret_token: 'hook_secret-1' });
    expect((await bot.api.getWebhookInfo()).url).toBe(url);
    const conflict = await rejection(bot.api.getUpdates());
    expect(conflict.error_code).toBe(409);

    const update = fake.sendUserMessage(alice, '/start');
    expect(await fake.deliverWebhook(update, { secretToken: 'wrong' })).toBe(401);
    expect(await fake.deliverWebhook(update, { secretToken: null })).toBe(401);
    expect(fake.messages(alice.id)).toEqual([]);
    expect(await fake.deliverWebhook(update)).toBe(200);
    expect(fake.messages(alice.id).map((m) => m.text)).toEqual(['Linked']);
  });
});
