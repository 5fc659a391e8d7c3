import { InvalidArgumentError } from 'commander';

/** How many rows `requests` and `audit` print unless told otherwise, and at most (the API's page size). */
export const LIST_DEFAULT_LIMIT = 20;
export const LIST_MAX_LIMIT = 200;

/** `--limit N` of a list command: a whole number from 1 to LIST_MAX_LIMIT, else a usage error. */
export function parseListLimit(value: string): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit < 1 || limit > LIST_MAX_LIMIT)
    throw new InvalidArgumentError(`expected a whole number from 1 to ${LIST_MAX_LIMIT}`);
  return limit;
}

/**
 * How long ago, short enough for one line.
 *
 * @example
 * describeAge('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:05:00Z')); // '5 min ago'
 */
export function describeAge(at: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(at)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}
