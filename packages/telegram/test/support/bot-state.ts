import type { BotApiError } from './api-error.js';
import type { BotCommand, TelegramUser } from './bot-api-types.js';
import { ChatStore } from './chat-store.js';
import type { Params } from './request-params.js';
import { UpdateQueue } from './update-queue.js';

/** One request the stand-in received, in arrival order. */
export interface ApiCall {
  /** The method name as the client spelled it (the Bot API matches it case-insensitively). */
  method: string;
  body: Params;
  /** `Date.now()` at arrival. */
  at: number;
  /** HTTP status of the answer, once answered (a held getUpdates has none yet). */
  status?: number;
  /** `webhook_reply` when the bot answered a webhook delivery with a method call. */
  via: 'http' | 'webhook_reply';
}

export interface AnsweredCallback {
  callback_query_id: string;
  text?: string;
  show_alert: boolean;
  url?: string;
  cache_time?: number;
}

export interface WebhookConfig {
  url: string;
  secret_token?: string;
  max_connections?: number;
  last_error_date?: number;
  last_error_message?: string;
}

export interface MethodResult {
  result: unknown;
  description?: string;
}

export const ok = (result: unknown, description?: string): MethodResult => ({
  result,
  ...(description ? { description } : {}),
});

/** Lets a handler learn that the HTTP client went away (an aborted long poll). */
export interface RequestIo {
  onClientGone(cancel: () => void): void;
}

export type MethodHandler = (
  state: BotState,
  params: Params,
  io: RequestIo,
) => MethodResult | Promise<MethodResult>;

/** Everything the stand-in remembers; handlers mutate it, the test-facing API reads it. */
export class BotState {
  readonly chats: ChatStore;
  readonly updates = new UpdateQueue();
  readonly calls: ApiCall[] = [];
  readonly answeredCallbacks: AnsweredCallback[] = [];
  /** Callback query ids handed to the bot, and whether they have been answered. */
  readonly callbackQueries = new Map<string, { answered: boolean }>();
  readonly commands = new Map<string, BotCommand[]>();
  /** Failures a test asked for, served to the next calls of a method (lower-case name). */
  readonly injectedFailures = new Map<string, BotApiError[]>();
  webhook: WebhookConfig | undefined;
  /** Set by close(): new requests are refused and answers ask the client to hang up. */
  closing = false;
  private readonly listeners = new Set<() => void>();

  constructor(readonly botUser: TelegramUser) {
    this.chats = new ChatStore(botUser);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
