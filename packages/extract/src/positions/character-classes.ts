/**
 * Character tests used while indexing a message, one call per character: plain comparisons for
 * ASCII (almost every character of a message), a regular expression only beyond it.
 */

const WHITESPACE = /\s/;
const NOT_MEANINGFUL = /[\s\p{P}\p{S}]/u;

/** `\s` (what `trim()` removes). */
export function isWhitespaceCode(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return WHITESPACE.test(String.fromCharCode(code));
}

/** ASCII `0`–`9`, what `\d` matches. */
export function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Counts towards the distance between a keyword and a code: not a space, punctuation or symbol.
 *
 * @example
 * isMeaningful('a'); // true
 * isMeaningful('€'); // false
 */
export function isMeaningful(character: string): boolean {
  const code = character.charCodeAt(0);
  if (code >= 128) return !NOT_MEANINGFUL.test(character);
  const alphanumeric =
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  // Every other printable ASCII character is punctuation or a symbol; controls other than
  // whitespace are neither, as in the regular expression.
  return alphanumeric || code === 127 || (code < 32 && !isWhitespaceCode(code));
}
