import type { ResponseParameters } from './bot-api-types.js';

/**
 * A Bot API failure as Telegram reports it: the HTTP status equals `error_code`, and the
 * description carries Telegram's own prefix ("Bad Request: …", "Conflict: …").
 */
export class BotApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
    this.name = 'BotApiError';
  }

  toJSON() {
    return {
      ok: false as const,
      error_code: this.errorCode,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

export const badRequest = (detail: string) => new BotApiError(400, `Bad Request: ${detail}`);

export const unauthorized = () => new BotApiError(401, 'Unauthorized');

export const methodNotFound = () => new BotApiError(404, 'Not Found: method not found');

export const conflict = (detail: string) => new BotApiError(409, `Conflict: ${detail}`);
