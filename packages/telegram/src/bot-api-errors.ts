import { GrammyError, HttpError, type Transformer } from 'grammy';
import type { BotLogger } from './logger.js';

/** Longest `retry_after` worth waiting for inside one call; beyond it the caller retries later. */
const MAX_RETRY_AFTER_SECONDS = 30;
const MAX_ATTEMPTS = 3;

/**
 * Waits out Telegram's flood control (429 with `retry_after`) and retries the call, a few
 * times at most. Polling has its own handling in grammY; this covers sends and edits.
 *
 * @example
 * bot.api.config.use(retryOnFloodControl(logger));
 */
export function retryOnFloodControl(logger: BotLogger): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 1; ; attempt++) {
      const response = await prev(method, payload, signal);
      const retryAfter = response.ok ? undefined : response.parameters?.retry_after;
      if (
        response.ok ||
        response.error_code !== 429 ||
        retryAfter === undefined ||
        retryAfter > MAX_RETRY_AFTER_SECONDS ||
        attempt >= MAX_ATTEMPTS ||
        signal?.aborted
      )
        return response;
      logger.warn({ method, retryAfter, attempt }, 'telegram flood control: waiting before retrying');
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    }
  };
}

/** How the bot should react to a failed Bot API call. */
export type ApiFailure =
  /** An edit that would change nothing: the message is already right. */
  | 'not_modified'
  /** The message or chat is gone (deleted, or the bot was removed): forget it. */
  | 'gone'
  /** The user blocked the bot or never started it: nothing can be sent until they do. */
  | 'blocked'
  /** Flood control, network, Telegram's 5xx: worth retrying later. */
  | 'transient'
  /** Anything else (a bug on our side, a bad token). */
  | 'permanent';

/**
 * Sorts a Bot API failure into what to do about it.
 *
 * @example
 * if (classifyApiError(error) === 'not_modified') return;
 */
export function classifyApiError(error: unknown): ApiFailure {
  if (error instanceof HttpError) return 'transient';
  if (!(error instanceof GrammyError)) return 'permanent';
  const description = error.description.toLowerCase();
  if (error.error_code === 400 && description.includes('message is not modified')) return 'not_modified';
  if (error.error_code === 403) return 'blocked';
  if (
    error.error_code === 400 &&
    /message to edit not found|message can't be edited|chat not found|message to delete not found/.test(
      description,
    )
  )
    return 'gone';
  if (error.error_code === 429 || error.error_code >= 500) return 'transient';
  return 'permanent';
}

/**
 * What may be logged about a failed call: the method, Telegram's code and description.
 * Never the payload (message text) and never the URL (it contains the bot token).
 */
export function describeApiError(error: unknown): Record<string, unknown> {
  if (error instanceof GrammyError)
    return {
      method: error.method,
      errorCode: error.error_code,
      description: error.description,
      ...(error.parameters.retry_after !== undefined ? { retryAfter: error.parameters.retry_after } : {}),
    };
  if (error instanceof HttpError) return { network: error.message };
  if (error instanceof Error) return { error: `${error.name}: ${error.message}` };
  return { error: String(error) };
}
