import { BotApiError, badRequest } from './api-error.js';
import type { InlineKeyboardMarkup } from './bot-api-types.js';
import { type BotState, type MethodHandler, ok } from './bot-state.js';
import type { MessageVersion, SentMessage } from './chat-store.js';
import { readMessageText } from './message-text.js';
import { readReplyMarkup } from './reply-markup.js';
import { type Params, readBoolean, readInteger, readString } from './request-params.js';

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

const MAX_CALLBACK_ANSWER_LENGTH = 200;

function readChatId(params: Params): number | undefined {
  if (readString(params, 'chat_id') === undefined) throw badRequest('chat_id is empty');
  return readInteger(params, 'chat_id');
}

function requireWritableChat(state: BotState, params: Params) {
  const chat = state.chats.require(readChatId(params));
  if (chat.blocked) throw new BotApiError(403, 'Forbidden: bot was blocked by the user');
  return chat;
}

function inlineMarkup(params: Params, forEdit: boolean): InlineKeyboardMarkup | undefined {
  const markup = readReplyMarkup(params);
  if (markup.kind === 'other' && forEdit) throw badRequest('inline keyboard expected');
  return markup.kind === 'inline' ? markup.markup : undefined;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function findEditTarget(state: BotState, params: Params): SentMessage {
  if (readString(params, 'inline_message_id') !== undefined) {
    throw badRequest('inline messages are not supported by the stand-in');
  }
  const chat = requireWritableChat(state, params);
  return state.chats.requireEditable(chat.chat.id, readInteger(params, 'message_id'));
}

export const sendMessage: MethodHandler = (state, params) => {
  const chat = requireWritableChat(state, params);
  const content = readMessageText(params);
  const replyMarkup = inlineMarkup(params, false);
  const version: MessageVersion = {
    at: Date.now(),
    ...content,
    ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
  };
  return ok(state.chats.addBotMessage(chat.chat.id, version).message);
};

export const editMessageText: MethodHandler = (state, params) => {
  const sent = findEditTarget(state, params);
  const content = readMessageText(params);
  // Like Telegram: an edit without reply_markup leaves the message without a keyboard.
  const replyMarkup = inlineMarkup(params, true);
  if (
    content.text === sent.text &&
    sameJson(content.entities, sent.entities) &&
    sameJson(replyMarkup, sent.reply_markup)
  ) {
    throw badRequest(NOT_MODIFIED);
  }
  const version: MessageVersion = {
    at: Date.now(),
    ...content,
    ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
  };
  return ok(state.chats.applyEdit(sent, version).message);
};

export const editMessageReplyMarkup: MethodHandler = (state, params) => {
  const sent = findEditTarget(state, params);
  const replyMarkup = inlineMarkup(params, true);
  if (sameJson(replyMarkup, sent.reply_markup)) throw badRequest(NOT_MODIFIED);
  const version: MessageVersion = {
    at: Date.now(),
    text: sent.text,
    entities: sent.entities,
    source_text: sent.source_text,
    ...(sent.parse_mode ? { parse_mode: sent.parse_mode } : {}),
    ...(sent.link_preview_options ? { link_preview_options: sent.link_preview_options } : {}),
    ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
  };
  return ok(state.chats.applyEdit(sent, version).message);
};

export const answerCallbackQuery: MethodHandler = (state, params) => {
  const id = readString(params, 'callback_query_id');
  const query = id === undefined ? undefined : state.callbackQueries.get(id);
  if (id === undefined || !query || query.answered) {
    throw badRequest('query is too old and response timeout expired or query ID is invalid');
  }
  const text = readString(params, 'text');
  if (text !== undefined && [...text].length > MAX_CALLBACK_ANSWER_LENGTH)
    throw badRequest('MESSAGE_TOO_LONG');
  query.answered = true;
  const url = readString(params, 'url');
  const cacheTime = readInteger(params, 'cache_time');
  state.answeredCallbacks.push({
    callback_query_id: id,
    ...(text !== undefined ? { text } : {}),
    show_alert: readBoolean(params, 'show_alert'),
    ...(url !== undefined ? { url } : {}),
    ...(cacheTime !== undefined ? { cache_time: cacheTime } : {}),
  });
  return ok(true);
};

export const sendChatAction: MethodHandler = (state, params) => {
  requireWritableChat(state, params);
  const action = readString(params, 'action');
  if (action === undefined || !CHAT_ACTIONS.has(action))
    throw badRequest('wrong parameter action in request');
  return ok(true);
};
