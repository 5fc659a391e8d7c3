import { InlineKeyboard } from 'grammy';

/** The steps of "Always allow like this": propose (show the draft), confirm (save), cancel. */
export type AlwaysAllowStep = 'propose' | 'confirm' | 'cancel';

const PREFIXES: Record<AlwaysAllowStep, string> = { propose: 'p', confirm: 'pc', cancel: 'pn' };

/** `p:`, `pc:` or `pn:` and a request ID: at most 33 bytes of Telegram's 64. */
export const ALWAYS_ALLOW_CALLBACK_PATTERN = /^(p|pc|pn):((?:otp|prm)_[0-9A-HJKMNP-TV-Z]{26})$/;

/**
 * The callback data of an "Always allow like this" step.
 *
 * @example
 * alwaysAllowCallbackData('confirm', 'prm_01J…'); // 'pc:prm_01J…'
 */
export function alwaysAllowCallbackData(step: AlwaysAllowStep, requestId: string): string {
  return `${PREFIXES[step]}:${requestId}`;
}

/**
 * Reads an "Always allow like this" button's data, or undefined if it is not one.
 *
 * @example
 * parseAlwaysAllowCallbackData('pn:otp_01J…'); // { step: 'cancel', requestId: 'otp_01J…' }
 */
export function parseAlwaysAllowCallbackData(
  data: string,
): { step: AlwaysAllowStep; requestId: string } | undefined {
  const match = ALWAYS_ALLOW_CALLBACK_PATTERN.exec(data);
  if (!match?.[1] || !match[2]) return undefined;
  const step = match[1] === 'p' ? 'propose' : match[1] === 'pc' ? 'confirm' : 'cancel';
  return { step, requestId: match[2] };
}

/** The ✅ Save / Cancel row under the confirmation of a drafted policy. */
export function alwaysAllowConfirmKeyboard(requestId: string): InlineKeyboard {
  return new InlineKeyboard()
    .text('✅ Save this policy', alwaysAllowCallbackData('confirm', requestId))
    .text('Cancel', alwaysAllowCallbackData('cancel', requestId));
}
