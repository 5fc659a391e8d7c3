import { randomBytes } from 'node:crypto';
import type { Message, NewUpdate, TelegramUser } from './bot-api-types.js';
import type { BotState } from './bot-state.js';
import { privateChatOf, type SentMessage, unixNow } from './chat-store.js';
import { finishFormattedText } from './formatted-text.js';
import { findCallbackButton } from './reply-markup.js';

// Builders for what a Telegram user does: write to the bot in a private chat, or press an
// inline button. Both become updates in the queue, shaped as Telegram delivers them.

export interface PressOptions {
  /** Press even if the message no longer shows a button with this data (a stale client). */
  allowMissingButton?: boolean;
}

/** Telegram's chat_instance is a stable opaque id per (user, chat) pair. */
function chatInstance(userId: number, chatId: number): string {
  return BigInt.asIntN(64, BigInt(userId) * 1_000_003n + BigInt(chatId) * 7_919n).toString();
}

export function userMessageUpdate(state: BotState, from: TelegramUser, text: string): NewUpdate {
  const chat = state.chats.register(privateChatOf(from));
  const { text: clean, entities } = finishFormattedText({ text, entities: [] });
  const message: Message = {
    message_id: state.chats.recordUserMessage(chat.id),
    from,
    chat,
    date: unixNow(),
    text: clean,
    ...(entities.length > 0 ? { entities } : {}),
  };
  return { message };
}

export function callbackQueryUpdate(
  state: BotState,
  from: TelegramUser,
  sent: Pick<SentMessage, 'chat' | 'message_id'>,
  data: string,
  options: PressOptions = {},
): NewUpdate {
  const current = state.chats.find(sent.chat.id, sent.message_id);
  if (!current)
    throw new Error(`pressButton: the bot never sent message ${sent.message_id} in chat ${sent.chat.id}`);
  if (!options.allowMissingButton && !findCallbackButton(current.reply_markup, data)) {
    throw new Error(
      `pressButton: message ${sent.message_id} has no button with callback_data ${JSON.stringify(data)} ` +
        `(current keyboard: ${JSON.stringify(current.reply_markup ?? null)})`,
    );
  }
  const id = BigInt.asUintN(63, BigInt(`0x${randomBytes(8).toString('hex')}`)).toString();
  state.callbackQueries.set(id, { answered: false });
  return {
    callback_query: {
      id,
      from,
      message: structuredClone(current.message),
      chat_instance: chatInstance(from.id, current.chat.id),
      data,
    },
  };
}
