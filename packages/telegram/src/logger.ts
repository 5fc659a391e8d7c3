/**
 * The logging the bot needs: structured fields and a message. The relay passes its pino
 * logger; fields never carry a token, a code or message text.
 */
export interface BotLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
