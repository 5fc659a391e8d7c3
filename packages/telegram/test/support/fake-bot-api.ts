import { BotApiError } from './api-error.js';
import type { BotCommand, Chat, NewUpdate, TelegramUser, Update } from './bot-api-types.js';
import { type AnsweredCallback, type ApiCall, BotState } from './bot-state.js';
import { privateChatOf, type SentMessage } from './chat-store.js';
import { listen } from './http-server.js';
import { callbackQueryUpdate, type PressOptions, userMessageUpdate } from './user-updates.js';
import { type DeliverOptions, deliverWebhook } from './webhook-delivery.js';

export type { AnsweredCallback, ApiCall } from './bot-state.js';
export type { MessageVersion, SentMessage } from './chat-store.js';
export type { PressOptions } from './user-updates.js';

/**
 * A stand-in for api.telegram.org on 127.0.0.1 that speaks the real Bot API wire protocol,
 * so an unmodified grammY `Bot` can run against it with `client: { apiRoot: fake.url }`.
 */
export interface FakeBotApi {
  /** `http://127.0.0.1:PORT`, to use as grammY's `apiRoot`. */
  url: string;
  /** The only accepted bot token; any other gets 401 Unauthorized. */
  token: string;
  /** What getMe returns. */
  botUser: TelegramUser;
  /** Queues an update for getUpdates (numbering it if needed) and returns it. */
  pushUpdate(update: NewUpdate): Update;
  /** Queues a private-chat message from `from` (bot_command entities included) and returns its update. */
  sendUserMessage(from: TelegramUser, text: string): Update;
  /** Queues a callback_query as if `from` pressed the button with `data` under a bot message. */
  pressButton(
    from: TelegramUser,
    message: Pick<SentMessage, 'chat' | 'message_id'>,
    data: string,
    options?: PressOptions,
  ): Update;
  /** The bot's messages in their current state (with edit history), oldest first. */
  messages(chatId?: number): SentMessage[];
  /** Every request received, in order; `method` filters case-insensitively. */
  calls(method?: string): ApiCall[];
  answeredCallbacks(): AnsweredCallback[];
  /** Resolves with the predicate's first truthy value; re-checked after every call and update. */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** POSTs an update to the webhook the bot set; returns the HTTP status it answered with. */
  deliverWebhook(update: Update, options?: DeliverOptions): Promise<number>;
  webhook(): { url: string; secret_token?: string } | undefined;
  /** Commands stored by setMyCommands for a scope (default scope) and language. */
  commands(scope?: { type: string; [key: string]: unknown }, languageCode?: string): BotCommand[];
  /** Makes the next call(s) of `method` fail with this error, e.g. a 429 with retry_after. */
  failNext(method: string, error: { error_code: number; description: string; retry_after?: number }): void;
  /** Simulates the user blocking (or unblocking) the bot: sends then fail with 403. */
  setBlocked(chatId: number, blocked: boolean): void;
  /** Releases held polls and stops listening. Stop the bot first: grammY's stop() makes one last call. */
  close(): Promise<void>;
}

export interface FakeBotApiOptions {
  token?: string;
  botUsername?: string;
  /** Chats the bot may write to before anyone messages it; a user stands for their private chat. */
  knownChats?: Array<Chat | TelegramUser>;
}

export const DEFAULT_TOKEN = '7000000001:AAFakeBotApiStandInTokenForTests_x';

const DEFAULT_WAIT_MS = 5000;
const CLOSE_GRACE_MS = 500;

const isChat = (value: Chat | TelegramUser): value is Chat => 'type' in value;

/**
 * Starts the stand-in on an ephemeral loopback port.
 *
 * @example
 * const fake = await startFakeBotApi();
 * const bot = new Bot(fake.token, { client: { apiRoot: fake.url } });
 * fake.sendUserMessage(alice, '/start');
 */
export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const token = options.token ?? DEFAULT_TOKEN;
  const botId = Number(token.split(':')[0]);
  if (!Number.isSafeInteger(botId) || botId <= 0)
    throw new Error(`token must look like <bot id>:<secret>: ${token}`);
  const botUser: TelegramUser = {
    id: botId,
    is_bot: true,
    first_name: 'Agent OTP Test Bot',
    username: options.botUsername ?? 'agent_otp_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  };
  const state = new BotState(botUser);
  for (const known of options.knownChats ?? [])
    state.chats.register(isChat(known) ? known : privateChatOf(known));
  const { server, url } = await listen(state, token);
  const deliveries = new AbortController();

  const pushUpdate = (update: NewUpdate): Update => {
    const chat = update.message?.chat;
    if (chat) state.chats.register(chat);
    const query = update.callback_query;
    if (query && !state.callbackQueries.has(query.id))
      state.callbackQueries.set(query.id, { answered: false });
    const queued = state.updates.push(update);
    state.notify();
    return structuredClone(queued);
  };

  return {
    url,
    token,
    botUser,
    pushUpdate,
    sendUserMessage: (from, text) => pushUpdate(userMessageUpdate(state, from, text)),
    pressButton: (from, message, data, pressOptions) =>
      pushUpdate(callbackQueryUpdate(state, from, message, data, pressOptions)),
    messages: (chatId) =>
      structuredClone(state.chats.botMessages(chatId)).sort(
        (a, b) => (a.history[0]?.at ?? 0) - (b.history[0]?.at ?? 0),
      ),
    calls: (method) =>
      structuredClone(
        method === undefined
          ? state.calls
          : state.calls.filter((c) => c.method.toLowerCase() === method.toLowerCase()),
      ),
    answeredCallbacks: () => structuredClone(state.answeredCallbacks),
    waitFor: (predicate, timeoutMs = DEFAULT_WAIT_MS) => waitFor(state, predicate, timeoutMs),
    deliverWebhook: (update, deliverOptions = {}) =>
      deliverWebhook(state, update, deliverOptions, deliveries.signal),
    webhook: () => {
      const hook = state.webhook;
      return hook
        ? { url: hook.url, ...(hook.secret_token ? { secret_token: hook.secret_token } : {}) }
        : undefined;
    },
    commands: (scope = { type: 'default' }, languageCode = '') =>
      structuredClone(state.commands.get(`${JSON.stringify(scope)}|${languageCode}`) ?? []),
    failNext: (method, error) => {
      const key = method.toLowerCase();
      const parameters = error.retry_after !== undefined ? { retry_after: error.retry_after } : undefined;
      const queue = state.injectedFailures.get(key) ?? [];
      queue.push(new BotApiError(error.error_code, error.description, parameters));
      state.injectedFailures.set(key, queue);
    },
    setBlocked: (chatId, blocked) => state.chats.setBlocked(chatId, blocked),
    close: async () => {
      if (state.closing) return;
      state.closing = true;
      deliveries.abort();
      state.updates.terminateHeld();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(force);
    },
  };
}

function waitFor<T>(
  state: BotState,
  predicate: () => T | undefined | null | false,
  timeoutMs: number,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      outcome();
    };
    const check = () => {
      try {
        const value = predicate();
        if (value !== undefined && value !== null && value !== false) finish(() => resolve(value as T));
      } catch (error) {
        finish(() => reject(error));
      }
    };
    const timer = setTimeout(() => {
      const recent = state.calls
        .slice(-10)
        .map((c) => `${c.method}→${c.status ?? 'pending'}`)
        .join(', ');
      finish(() =>
        reject(new Error(`waitFor timed out after ${timeoutMs} ms; last calls: ${recent || 'none'}`)),
      );
    }, timeoutMs);
    const unsubscribe = state.onChange(check);
    check();
  });
}
