/**
 * WebOTP / origin-bound one-time codes (https://wicg.github.io/sms-one-time-codes/): a line
 * `@example.com #123456`, optionally followed by ` @embedded.example`. When present it is the
 * most reliable signal there is: the sender told us which code and for which site.
 */

const ORIGIN_BOUND_LINE =
  /^@((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})(?::\d{1,5})? #([A-Za-z0-9]{4,12})(?: @\S+)?$/i;

export interface OriginBoundCode {
  origin: string;
  code: string;
}

/**
 * Finds the origin-bound line of a normalised message, if any.
 *
 * @example
 * findOriginBoundCode('Your code is 123456.\n\n@example.com #123456'); // { origin: 'example.com', code: '123456' }
 */
export function findOriginBoundCode(text: string): OriginBoundCode | undefined {
  for (const line of text.split('\n').reverse()) {
    const match = ORIGIN_BOUND_LINE.exec(line.trim());
    if (match?.[1] && match[2]) return { origin: match[1].toLowerCase(), code: match[2] };
  }
  return undefined;
}
