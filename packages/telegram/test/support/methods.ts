import { methodNotFound } from './api-error.js';
import type { MethodHandler } from './bot-state.js';
import {
  deleteMyCommands,
  deleteWebhook,
  getMe,
  getMyCommands,
  getUpdates,
  getWebhookInfo,
  setMyCommands,
  setWebhook,
} from './methods-bot.js';
import {
  answerCallbackQuery,
  editMessageReplyMarkup,
  editMessageText,
  sendChatAction,
  sendMessage,
} from './methods-messages.js';

const HANDLERS: Record<string, MethodHandler> = {
  getMe,
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  setMyCommands,
  deleteMyCommands,
  getMyCommands,
  sendMessage,
  editMessageText,
  editMessageReplyMarkup,
  answerCallbackQuery,
  sendChatAction,
};

// The Bot API matches method names case-insensitively (`sendmessage` works too).
const BY_LOWER_NAME = new Map(
  Object.entries(HANDLERS).map(([name, handler]) => [name.toLowerCase(), handler]),
);

export function findMethod(name: string): MethodHandler {
  const handler = BY_LOWER_NAME.get(name.toLowerCase());
  if (!handler) throw methodNotFound();
  return handler;
}
