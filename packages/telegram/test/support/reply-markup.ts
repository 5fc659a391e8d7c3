import { badRequest } from './api-error.js';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from './bot-api-types.js';
import { checkedLink } from './links.js';
import { type Params, readJson } from './request-params.js';

const MAX_CALLBACK_DATA_BYTES = 64;

// Button kinds other than text-only; each button must carry exactly one of them.
const ACTION_FIELDS = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
] as const;

const buttonError = (detail: string) => badRequest(`can't parse inline keyboard button: ${detail}`);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function readButton(raw: unknown): InlineKeyboardButton {
  if (!isObject(raw)) throw buttonError('InlineKeyboardButton must be an Object');
  if (typeof raw.text !== 'string') throw buttonError('Field "text" must be of type String');
  const action = ACTION_FIELDS.find((field) => raw[field] !== undefined && raw[field] !== null);
  if (action === undefined) throw buttonError('Text buttons are unallowed in the inline keyboard');
  const button: InlineKeyboardButton = { text: raw.text };
  if (action === 'callback_data') {
    const data = raw.callback_data;
    if (typeof data !== 'string') throw buttonError('Field "callback_data" must be of type String');
    const bytes = Buffer.byteLength(data, 'utf8');
    if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) throw badRequest('BUTTON_DATA_INVALID');
    button.callback_data = data;
  } else if (action === 'url') {
    if (typeof raw.url !== 'string') throw buttonError('Field "url" must be of type String');
    const url = checkedLink(raw.url);
    if (url === undefined)
      throw badRequest(`inline keyboard button URL '${raw.url}' is invalid: Wrong HTTP URL`);
    button.url = url;
  } else {
    Object.assign(button, { [action]: raw[action] });
  }
  return button;
}

export type ReplyMarkup =
  | { kind: 'none' }
  | { kind: 'inline'; markup: InlineKeyboardMarkup }
  | { kind: 'other' };

/**
 * Reads `reply_markup`. Only inline keyboards are kept: they are the only markup Telegram
 * echoes back in `Message.reply_markup`. Reply keyboards, `remove_keyboard` and
 * `force_reply` are accepted and otherwise ignored.
 */
export function readReplyMarkup(params: Params): ReplyMarkup {
  const raw = readJson(params, 'reply_markup', () =>
    badRequest("can't parse reply keyboard markup JSON object"),
  );
  if (raw === undefined) return { kind: 'none' };
  if (!isObject(raw)) throw badRequest("can't parse reply keyboard markup JSON object");
  if (raw.inline_keyboard === undefined) {
    if (raw.keyboard !== undefined || raw.remove_keyboard !== undefined || raw.force_reply !== undefined) {
      return { kind: 'other' };
    }
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  if (!Array.isArray(raw.inline_keyboard)) throw badRequest('field "inline_keyboard" must be of type Array');
  const rows = raw.inline_keyboard.map((row: unknown) => {
    if (!Array.isArray(row)) throw badRequest('field "inline_keyboard" must be an Array of Arrays');
    return row.map(readButton);
  });
  // `{"inline_keyboard": []}` is the usual way to remove a keyboard: Telegram stores none.
  if (rows.every((row: InlineKeyboardButton[]) => row.length === 0)) return { kind: 'none' };
  return { kind: 'inline', markup: { inline_keyboard: rows } };
}

/** Finds the button carrying `data`, if the keyboard has one. */
export function findCallbackButton(
  markup: InlineKeyboardMarkup | undefined,
  data: string,
): InlineKeyboardButton | undefined {
  return markup?.inline_keyboard.flat().find((button) => button.callback_data === data);
}
