/**
 * Capture's SQL pre-filter by sender (issue 18): each OTP request stores the literal end of
 * its sender glob (`*@acme.com` → `@acme.com`) in `otp_requests.sender_suffix`, and an
 * incoming message lists only the open requests whose stored end is one of the ends of its
 * sender, through the `(owner_id, status, sender_suffix)` index. It is a superset of the real
 * matcher (compileSenderGlob, case-insensitive RE2), which still runs on every candidate:
 *
 * - A glob matches the whole sender, so the literal text after its last `*` or `?` is an end
 *   of the sender, character for character under case folding.
 * - Only the trailing run of ASCII characters of that text is kept, lower-cased. Under RE2's
 *   case folding an ASCII character matches itself, its other case, and two non-ASCII
 *   characters: U+212A KELVIN SIGN (`k`) and U+017F LATIN SMALL LETTER LONG S (`s`). The sender
 *   side is folded the same way (lower-cased, long s read as `s`), so they still meet.
 * - `''` (no pattern, a pattern ending in a wildcard or a non-ASCII character, and every row
 *   the column's default fills, e.g. inserted by an older release) is an end of every
 *   sender: such requests are always candidates.
 * - At most {@link SENDER_SUFFIX_MAX_LENGTH} characters are kept, which bounds the list of ends
 *   a query sends; a shorter end of a matching sender is still an end of it.
 *
 * Changing what is stored needs a migration that recomputes the column (0020 filled it).
 */

/** Longest end kept: enough to tell `@mail.example.com` from its neighbours. */
export const SENDER_SUFFIX_MAX_LENGTH = 32;

const WILDCARD = /[*?]/;
const LONG_S = /\u017f/g;

/**
 * The value stored for a request's sender glob.
 *
 * @example
 * senderSuffixOf('*@Acme.com'); // '@acme.com'
 * senderSuffixOf('+1555*'); // '' (any sender end)
 */
export function senderSuffixOf(pattern: string | null): string {
  if (!pattern) return '';
  const literalEnd = pattern.split(WILDCARD).at(-1) ?? '';
  let start = literalEnd.length;
  while (
    start > 0 &&
    literalEnd.length - start < SENDER_SUFFIX_MAX_LENGTH &&
    literalEnd.charCodeAt(start - 1) < 0x80
  )
    start--;
  return literalEnd.slice(start).toLowerCase();
}

/**
 * Every stored value a request whose glob matches `identity` can have: the sender's folded
 * ends of 0 to {@link SENDER_SUFFIX_MAX_LENGTH} characters (`''` included).
 *
 * @example
 * senderSuffixCandidates('a@b.io'); // ['', 'o', 'io', '.io', 'b.io', '@b.io', 'a@b.io']
 */
export function senderSuffixCandidates(identity: string): string[] {
  const folded = identity.toLowerCase().replace(LONG_S, 's');
  const longest = Math.min(folded.length, SENDER_SUFFIX_MAX_LENGTH);
  return Array.from({ length: longest + 1 }, (_, length) => folded.slice(folded.length - length));
}
