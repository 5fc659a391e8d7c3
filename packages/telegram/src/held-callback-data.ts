import type { HeldMessageView } from '@agent-otp/core';
import { InlineKeyboard } from 'grammy';
import { truncate } from './html.js';

/**
 * `g:<held id>:<request id>` gives a held message to a request, `x:<held id>` discards it. Two
 * prefixed ULIDs and the separators make 63 bytes, within Telegram's 64.
 */
const HELD_CALLBACK_DATA = /^(?:g:(hld_[0-9A-Za-z]{26}):(otp_[0-9A-Za-z]{26})|x:(hld_[0-9A-Za-z]{26}))$/;

/** Button presses on a held message, for `bot.callbackQuery`. */
export const HELD_CALLBACK_PATTERN = HELD_CALLBACK_DATA;

/**
 * The callback data of a "give to this request" or "discard" button on a held message.
 *
 * @example
 * heldCallbackData('hld_01J…', 'otp_01J…'); // 'g:hld_01J…:otp_01J…'
 * heldCallbackData('hld_01J…', 'discard');  // 'x:hld_01J…'
 */
export function heldCallbackData(heldId: string, target: string): string {
  return target === 'discard' ? `x:${heldId}` : `g:${heldId}:${target}`;
}

/**
 * Reads a held-message button's callback data, or undefined if it is not one.
 *
 * @example
 * parseHeldCallbackData('x:hld_01J…'); // { heldId: 'hld_01J…', action: 'discard' }
 */
export function parseHeldCallbackData(
  data: string,
): { heldId: string; action: { assign: string } | 'discard' } | undefined {
  const match = HELD_CALLBACK_DATA.exec(data);
  if (!match) return undefined;
  if (match[1] && match[2]) return { heldId: match[1], action: { assign: match[2] } };
  if (match[3]) return { heldId: match[3], action: 'discard' };
  return undefined;
}

/**
 * One button per candidate request ("📨 Give to <agent>"), then 🗑 Discard.
 *
 * @example
 * await api.sendMessage(chatId, html, { parse_mode: 'HTML', reply_markup: heldKeyboard(view) });
 */
export function heldKeyboard(view: Pick<HeldMessageView, 'id' | 'candidates'>): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const candidate of view.candidates)
    keyboard
      .text(
        `📨 Give to ${truncate(candidate.agent.name, 40)}`,
        heldCallbackData(view.id, candidate.requestId),
      )
      .row();
  return keyboard.text('🗑 Discard', heldCallbackData(view.id, 'discard'));
}
