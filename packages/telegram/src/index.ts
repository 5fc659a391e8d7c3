export {
  type ApiFailure,
  classifyApiError,
  describeApiError,
  retryOnFloodControl,
} from './bot-api-errors.js';
export { fetchBotUsername, telegramDeepLink } from './bot-link.js';
export { decisionCallbackData, decisionKeyboard, parseDecisionCallbackData } from './callback-data.js';
export { BOT_COMMANDS } from './commands.js';
export { escapeHtml } from './html.js';
export type { BotLogger } from './logger.js';
export { type RenderedDecision, renderDecisionMessage } from './render-decision.js';
export { databaseTelegramMessageStore } from './state/database-message-store.js';
export type { TelegramMessageRecord, TelegramMessageStore } from './state/telegram-message-store.js';
export { launchTelegramBot, type TelegramBot, type TelegramBotOptions } from './telegram-bot.js';
export {
  deriveWebhookSecret,
  handleWebhookCall,
  secretTokenMatches,
  TELEGRAM_WEBHOOK_PATH,
} from './webhook.js';
