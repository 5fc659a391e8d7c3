import { InlineKeyboard } from 'grammy';
import { alwaysAllowCallbackData } from './always-allow-callback-data.js';

export type DecisionOutcome = 'approved' | 'denied';

/** Telegram limits callback data to 64 bytes; `a:` / `d:` plus a request ID fits with room. */
const CALLBACK_DATA = /^([ad]):([a-z]{3}_[0-9A-Za-z]{1,60})$/;

/**
 * The callback data of an Approve or Deny button.
 *
 * @example
 * decisionCallbackData('approved', 'otp_01J…'); // 'a:otp_01J…'
 */
export function decisionCallbackData(outcome: DecisionOutcome, requestId: string): string {
  return `${outcome === 'approved' ? 'a' : 'd'}:${requestId}`;
}

/**
 * Reads a button's callback data, or undefined if it is not one of ours (stale or forged data
 * is answered politely and changes nothing).
 *
 * @example
 * parseDecisionCallbackData('d:otp_01J…'); // { outcome: 'denied', requestId: 'otp_01J…' }
 */
export function parseDecisionCallbackData(
  data: string,
): { outcome: DecisionOutcome; requestId: string } | undefined {
  const match = CALLBACK_DATA.exec(data);
  if (!match?.[1] || !match[2]) return undefined;
  return { outcome: match[1] === 'a' ? 'approved' : 'denied', requestId: match[2] };
}

/**
 * Whether Telegram would show this address in a URL button: it refuses hosts that are not
 * a public-looking domain or an IP address (`localhost`, a bare machine name).
 */
function telegramShowsLink(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    const isIp = /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith('[');
    return (
      (protocol === 'https:' || protocol === 'http:') &&
      (isIp || (hostname.includes('.') && !hostname.endsWith('.')))
    );
  } catch {
    return false;
  }
}

/**
 * The ✅ Approve / ❌ Deny row under a request that waits for a decision. A high-risk request
 * (`approveInDashboard`) cannot be approved here: approving needs a passkey, which Telegram
 * cannot ask for, so its row is a 🔐 link to the request in the dashboard (when Telegram
 * accepts the address as a button; the message always carries it as text) and ❌ Deny.
 * `alwaysAllow` adds "♾ Always allow like this…" on a row of its own.
 *
 * @example
 * await api.sendMessage(chatId, html, { parse_mode: 'HTML', reply_markup: decisionKeyboard(id) });
 */
export function decisionKeyboard(
  requestId: string,
  options: { approveInDashboard?: string; alwaysAllow?: boolean } = {},
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  if (options.approveInDashboard === undefined)
    keyboard.text('✅ Approve', decisionCallbackData('approved', requestId));
  else if (telegramShowsLink(options.approveInDashboard))
    keyboard.url('🔐 Approve in dashboard', options.approveInDashboard);
  keyboard.text('❌ Deny', decisionCallbackData('denied', requestId));
  // A second row: turning the request into a rule asks for a confirmation first (issue 15).
  if (options.alwaysAllow)
    keyboard.row().text('♾ Always allow like this…', alwaysAllowCallbackData('propose', requestId));
  return keyboard;
}
