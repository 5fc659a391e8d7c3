import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { PrettyOptions } from 'pino-pretty';

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

/** `json` lines for machines, `pretty` lines for people; unset chooses by whether a terminal reads the output. */
export type LogFormat = 'json' | 'pretty';

type PrettyFactory = (options: PrettyOptions) => DestinationStream;

/**
 * pino-pretty, loaded only when a pretty log is asked for: one-shot CLI commands build a
 * silent logger and should not pay for it. A synchronous stream in this process, not pino's
 * worker-thread transport: a line is written before the next one is logged, and before exit.
 */
function prettyStream(destination: NodeJS.WritableStream, colorize: boolean): DestinationStream {
  const build = createRequire(import.meta.url)('pino-pretty') as PrettyFactory;
  return build({
    destination,
    sync: true,
    colorize,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
  });
}

/**
 * The relay's logger: JSON lines, or readable ones with `format: 'pretty'` or, when no
 * format is given, when the output is a terminal. Tests pass a destination to read what was
 * logged (JSON, unless they ask for pretty).
 *
 * @example
 * const logger = createLogger('info'); // pretty in a terminal, JSON under systemd or Docker
 * const json = createLogger('info', undefined, 'json');
 */
export function createLogger(
  level: string,
  destination?: DestinationStream,
  format?: LogFormat | undefined,
): Logger {
  const output = (destination ?? process.stdout) as DestinationStream & { isTTY?: boolean };
  const pretty = format ? format === 'pretty' : output.isTTY === true;
  return pino(
    {
      level,
      base: { service: 'agent-otp' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pretty ? prettyStream(output as unknown as NodeJS.WritableStream, output.isTTY === true) : destination,
  );
}
