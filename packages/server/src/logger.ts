import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Paths whose values never reach a log line. Handlers never log bodies or headers in the
 * first place; this is the second belt in case someone does.
 */
const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'code',
  '*.code',
  'password',
  '*.password',
  'encryptedPayload',
  '*.encryptedPayload',
  'text',
  '*.text',
  'html',
  '*.html',
];

export type { Logger };

/**
 * The JSON logger. Tests pass a destination to read what was logged.
 *
 * @example
 * const logger = createLogger('info');
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'agent-otp' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
