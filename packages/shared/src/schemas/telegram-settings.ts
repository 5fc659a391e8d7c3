import { Timestamp } from '@orrisai/agent-otp-contract';
import { z } from 'zod';
import { TELEGRAM_DEEP_LINK_EXAMPLE, TELEGRAM_SETTINGS_EXAMPLE } from './examples.js';

/** Whether the relay runs a Telegram bot, and which Telegram accounts act for this owner. */
export const TelegramSettings = z
  .object({
    configured: z.boolean().meta({ description: 'TELEGRAM_BOT_TOKEN is set, so the bot runs.' }),
    botUsername: z.string().nullable().meta({ description: 'Known once the bot has reached Telegram.' }),
    links: z.array(z.object({ telegramUserId: z.number().int(), linkedAt: Timestamp })),
  })
  .meta({ id: 'TelegramSettings', example: TELEGRAM_SETTINGS_EXAMPLE });
export type TelegramSettings = z.infer<typeof TelegramSettings>;

/** A one-time deep link that links whoever opens it in Telegram to this owner. */
export const TelegramDeepLink = z
  .object({
    url: z.url().meta({ example: 'https://t.me/agent_otp_bot?start=tl_7Qm2Xc9LpR4vN8sK1bT6wZ3hY5dJ0aFe' }),
    bot: z.string(),
    expiresAt: Timestamp,
  })
  .meta({ id: 'TelegramDeepLink', example: TELEGRAM_DEEP_LINK_EXAMPLE });
export type TelegramDeepLink = z.infer<typeof TelegramDeepLink>;
