import { Api } from 'grammy';

/**
 * The bot's @username, asked from the Bot API (getMe), for building deep links.
 *
 * @example
 * const username = await fetchBotUsername({ token, apiRoot: 'https://api.telegram.org' });
 */
export async function fetchBotUsername(options: { token: string; apiRoot: string }): Promise<string> {
  const me = await new Api(options.token, { apiRoot: options.apiRoot }).getMe();
  return me.username;
}

/**
 * The deep link that opens the bot and sends `/start <token>`.
 *
 * @example
 * telegramDeepLink('agent_otp_bot', 'tl_…'); // 'https://t.me/agent_otp_bot?start=tl_…'
 */
export function telegramDeepLink(botUsername: string, token: string): string {
  return `https://t.me/${encodeURIComponent(botUsername)}?start=${encodeURIComponent(token)}`;
}
