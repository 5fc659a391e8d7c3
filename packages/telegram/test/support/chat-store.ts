import { badRequest } from './api-error.js';
import type {
  Chat,
  InlineKeyboardMarkup,
  LinkPreviewOptions,
  Message,
  MessageEntity,
  ParseMode,
  TelegramUser,
} from './bot-api-types.js';

/** One version of a bot message: what the bot sent, and what Telegram made of it. */
export interface MessageVersion {
  at: number;
  /** Plain text after entity parsing, as in `Message.text`. */
  text: string;
  entities: MessageEntity[];
  /** The `text` parameter exactly as the bot sent it (HTML source for `parse_mode: 'HTML'`). */
  source_text: string;
  parse_mode?: ParseMode;
  reply_markup?: InlineKeyboardMarkup;
  link_preview_options?: LinkPreviewOptions;
}

/** A message the bot has in a chat, in its current state, with every version so far. */
export interface SentMessage extends MessageVersion {
  message_id: number;
  chat: Chat;
  date: number;
  edit_date?: number;
  /** The message exactly as the Bot API returns it now. */
  message: Message;
  /** Every version, oldest first; the last one is the current state. */
  history: MessageVersion[];
}

interface ChatState {
  chat: Chat;
  nextMessageId: number;
  botMessages: Map<number, SentMessage>;
  userMessageIds: Set<number>;
  blocked: boolean;
}

export const unixNow = () => Math.floor(Date.now() / 1000);

export function privateChatOf(user: TelegramUser): Chat {
  return {
    id: user.id,
    type: 'private',
    first_name: user.first_name,
    ...(user.last_name ? { last_name: user.last_name } : {}),
    ...(user.username ? { username: user.username } : {}),
  };
}

/** Chats the bot can write to, and the messages in them. Message ids count per chat. */
export class ChatStore {
  private chats = new Map<number, ChatState>();

  constructor(private readonly botUser: TelegramUser) {}

  register(chat: Chat): Chat {
    const existing = this.chats.get(chat.id);
    if (existing) return existing.chat;
    this.chats.set(chat.id, {
      chat,
      nextMessageId: 1,
      botMessages: new Map(),
      userMessageIds: new Set(),
      blocked: false,
    });
    return chat;
  }

  setBlocked(chatId: number, blocked: boolean): void {
    this.require(chatId).blocked = blocked;
  }

  /** Looks up a chat the way Telegram resolves `chat_id`, with Telegram's errors. */
  require(chatId: number | undefined): ChatState {
    const state = chatId === undefined ? undefined : this.chats.get(chatId);
    if (!state) throw badRequest('chat not found');
    return state;
  }

  recordUserMessage(chatId: number): number {
    const state = this.require(chatId);
    const id = state.nextMessageId++;
    state.userMessageIds.add(id);
    return id;
  }

  addBotMessage(chatId: number, version: MessageVersion): SentMessage {
    const state = this.require(chatId);
    const sent: SentMessage = {
      ...version,
      message_id: state.nextMessageId++,
      chat: state.chat,
      date: unixNow(),
      message: undefined as unknown as Message,
      history: [version],
    };
    sent.message = this.toMessage(sent);
    state.botMessages.set(sent.message_id, sent);
    return sent;
  }

  /** Finds a bot message to edit, failing like Telegram does. */
  requireEditable(chatId: number | undefined, messageId: number | undefined): SentMessage {
    const state = this.require(chatId);
    if (messageId === undefined) throw badRequest('message identifier is not specified');
    const sent = state.botMessages.get(messageId);
    if (sent) return sent;
    if (state.userMessageIds.has(messageId)) throw badRequest("message can't be edited");
    throw badRequest('message to edit not found');
  }

  find(chatId: number, messageId: number): SentMessage | undefined {
    return this.chats.get(chatId)?.botMessages.get(messageId);
  }

  applyEdit(sent: SentMessage, version: MessageVersion): SentMessage {
    for (const optional of ['parse_mode', 'reply_markup', 'link_preview_options'] as const)
      delete sent[optional];
    Object.assign(sent, version);
    sent.edit_date = unixNow();
    sent.history.push(version);
    sent.message = this.toMessage(sent);
    return sent;
  }

  botMessages(chatId?: number): SentMessage[] {
    const states =
      chatId === undefined ? [...this.chats.values()] : [this.chats.get(chatId)].filter((s) => !!s);
    return states.flatMap((s) => [...s.botMessages.values()]);
  }

  private toMessage(sent: SentMessage): Message {
    return {
      message_id: sent.message_id,
      from: this.botUser,
      chat: sent.chat,
      date: sent.date,
      ...(sent.edit_date !== undefined ? { edit_date: sent.edit_date } : {}),
      text: sent.text,
      ...(sent.entities.length > 0 ? { entities: sent.entities } : {}),
      ...(sent.reply_markup ? { reply_markup: sent.reply_markup } : {}),
    };
  }
}
