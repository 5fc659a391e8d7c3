import { RE2JS } from 're2js';
import type { SafePattern } from './safe-pattern.js';

/**
 * Sender globs (`*@acme.com`, `Acme`, `+1555*`) run against every incoming message for every
 * open request, before anyone approves anything, so an agent chooses both the pattern and,
 * by sending mail, the text. They are translated to RE2 and run on its linear-time engine;
 * the caps below keep each pattern's program small as well.
 */
export const SENDER_GLOB_LIMITS = {
  /** Longest pattern, in characters. */
  maxLength: 200,
  /** Most `*` wildcards (a run like `**` counts once). */
  maxStars: 8,
} as const;

/**
 * What is wrong with a sender glob for a new request, or null when it is acceptable.
 *
 * @example
 * senderGlobProblem('*@acme.com'); // null
 * senderGlobProblem('*a*a*a*a*a*a*a*a*b'); // 'at most 8 * wildcards are allowed, found 9'
 */
export function senderGlobProblem(pattern: string): string | null {
  if (pattern.length > SENDER_GLOB_LIMITS.maxLength)
    return `at most ${SENDER_GLOB_LIMITS.maxLength} characters are allowed`;
  const stars = pattern.match(/\*+/g)?.length ?? 0;
  if (stars > SENDER_GLOB_LIMITS.maxStars)
    return `at most ${SENDER_GLOB_LIMITS.maxStars} * wildcards are allowed, found ${stars}`;
  return null;
}

/**
 * Compiles a sender glob to a whole-text, case-insensitive matcher: `*` matches any run of
 * characters (also none, also `/` and `.`), `?` exactly one character, everything else
 * itself. There are no escapes, classes or braces. The caps of {@link SENDER_GLOB_LIMITS} are
 * for new requests; patterns stored before them still compile and still run in linear time.
 *
 * @example
 * compileSenderGlob('*@acme.com').test('noreply@acme.com'); // true
 * compileSenderGlob('*@acme.com').test('noreply@acme.com.evil.io'); // false
 */
export function compileSenderGlob(pattern: string): SafePattern {
  const body = pattern
    .split(/(\*+|\?)/)
    .map((part) => {
      if (part.startsWith('*')) return '.*';
      if (part === '?') return '.';
      return part === '' ? '' : RE2JS.quote(part);
    })
    .join('');
  return RE2JS.compile(`^(?:${body})$`, RE2JS.CASE_INSENSITIVE | RE2JS.DOTALL);
}
