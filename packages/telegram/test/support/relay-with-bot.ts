import type { TelegramBot } from '@agent-otp/telegram';
import { freePort } from '../../../../test-support/cli.js';
import { agentKeyPair, call } from '../../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../../test-support/relay.js';
import type { Dialect } from '../../../../test-support/services.js';
import type { TelegramUser } from './bot-api-types.js';
import { type FakeBotApi, type SentMessage, startFakeBotApi } from './fake-bot-api.js';

/** The owner's Telegram account, linked through TELEGRAM_ADMIN_ID. */
export const alice: TelegramUser = { id: 4242, is_bot: false, first_name: 'Alice', username: 'alice' };
/** Somebody else who found the bot. */
export const mallory: TelegramUser = { id: 6666, is_bot: false, first_name: 'Mallory', username: 'mallory' };
/** Links later with a deep link. */
export const bob: TelegramUser = { id: 5151, is_bot: false, first_name: 'Bob' };

/** The real relay with its Telegram bot pointed at the Bot API stand-in on loopback. */
export interface RelayWithBot {
  fake: FakeBotApi;
  relay: TestRelay;
  bot: TelegramBot;
  apiKey: string;
  /** An OTP request from the agent (pending approval); returns its id. */
  createRequest(body?: Record<string, unknown>): Promise<string>;
  /** The bot's current message about a request in a chat, once there is one. */
  messageAbout(requestId: string, chatId?: number): Promise<SentMessage>;
  /** Waits until the message about a request satisfies `check`. */
  messageWhen(requestId: string, check: (m: SentMessage) => boolean, chatId?: number): Promise<SentMessage>;
  stop(): Promise<void>;
}

/**
 * Starts the Bot API stand-in, then the relay with TELEGRAM_BOT_TOKEN / TELEGRAM_API_ROOT
 * pointing at it and Alice as TELEGRAM_ADMIN_ID, and waits until the bot takes updates.
 */
export async function startRelayWithBot(
  dialect: Dialect,
  options: { webhook?: boolean } = {},
): Promise<RelayWithBot> {
  const fake = await startFakeBotApi({
    knownChats: [alice, mallory, bob],
    botUsername: 'agent_otp_test_bot',
  });
  const env: Record<string, string> = {
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_ADMIN_ID: String(alice.id),
  };
  if (options.webhook) {
    // The webhook URL names the relay's port, so the port is chosen before the relay starts.
    const port = await freePort();
    env.PORT = String(port);
    env.TELEGRAM_WEBHOOK_URL = `http://127.0.0.1:${port}/telegram/webhook`;
  }
  const relay = await startTestRelay(dialect, { env });
  const bot = relay.server.services.telegram;
  if (!bot) throw new Error('the relay did not start its Telegram bot');
  await bot.ready;
  const { apiKey } = await relay.createAgent({ name: 'shopping-agent' });

  const messageWhen = (requestId: string, check: (m: SentMessage) => boolean, chatId = alice.id) =>
    fake.waitFor(() => fake.messages(chatId).find((m) => m.text.includes(requestId) && check(m)));

  return {
    fake,
    relay,
    bot,
    apiKey,
    async createRequest(body = {}) {
      const { publicKey } = await agentKeyPair();
      const res = await call(relay.url, '/api/v1/otp', {
        token: apiKey,
        json: {
          reason: 'Sign up at Acme',
          expectedSender: 'Acme',
          filter: { sources: ['email'], senderPattern: '*@acme.com' },
          publicKey,
          ...body,
        },
      });
      if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    },
    messageAbout: (requestId, chatId) => messageWhen(requestId, () => true, chatId),
    messageWhen,
    async stop() {
      // The relay stops the bot (whose last getUpdates confirms the offset) before the stand-in closes.
      await relay.stop();
      await fake.close();
    },
  };
}
