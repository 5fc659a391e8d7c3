import { findCandidates, type ShortCodeFormat } from './find-candidates.js';
import { CONTEXT_MATCHER, KEYWORD_MATCHER } from './lexicon/keyword-index.js';
import { foldForMatching } from './normalize-text.js';
import { firstIndexWhereNot } from './positions/sorted-search.js';
import type { ContextMatch, KeywordMatch, MessageAnalysis } from './score-candidates.js';

// Links and addresses are never typed by hand: a number inside one is not a code.
// Every alternative scans a run of word characters, dots, pluses and hyphens from each place it
// may start, so a run is quadratic in its length; runs longer than this are blanked first (no
// one reads a code out of 257 characters without a space), which bounds the scan per position.
const MAX_WORD_RUN = 256;
const LONG_WORD_RUN = new RegExp(`(?<![\\w.+-])[\\w.+-]{${MAX_WORD_RUN + 1},}`, 'g');
// A bare domain inside a message ("payment at BOOKING.COM") names a merchant, not what the
// message is about; at its very start it names the sender ("Booking.com: your PIN…") and stays.
// Only top-level domains that are not also abbreviations ("Ref.No", "Nr.in") count. One pass
// finds links, addresses and bare domains.
const LINK_OR_ADDRESS =
  /\b(?:https?:\/\/|www\.)[^\s<>"')\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)+\/[^\s<>"')\]]*|\b[\w-]+\.(?:com|net|org|io|app|dev|info|biz|de|fr|es|nl|pl|ru|bg|se|dk|fi|cz|sk|hu|ro|hr|rs|tr|gr|pt|br|mx|my|ph|vn|th|jp|kr|cn|tw|hk|sg|uk|us|ca|au|nz|za|ae|sa|eg|il|ir|pk|ua|ch|ie)\b/gi;
const LINK_MARK = /[/@]|^www\./i;
// The Android SMS Retriever hash that ends a message on a line of its own: eleven characters of
// base64 ("FA+9qCX9VSu"), never typed, though a run inside it ("9qCX9VSu") looks like a code.
const APP_HASH_LINE = /^[A-Za-z0-9+/]{11}[ \t]*$/gm;
const HAS_LETTER = /[A-Za-z]/;
// A video-call link is blanked like any link, but leaves the word "meeting" in its place: a
// "Passcode: 482913" beside "https://zoom.us/j/845…" is a meeting's, even when no other word says so.
const MEETING_LINK =
  /(?:^|[/.@])(?:zoom\.us|teams\.microsoft\.com|teams\.live\.com|meet\.google\.com|webex\.com|gotomeeting\.com|whereby\.com|meet\.jit\.si)(?:[/:?#]|$)/i;
const MEETING_WORD = 'meeting';

function blankLink(link: string): string {
  if (link.length > MEETING_WORD.length && MEETING_LINK.test(link))
    return MEETING_WORD + ' '.repeat(link.length - MEETING_WORD.length);
  return ' '.repeat(link.length);
}
// The generic "code" of English, French, German and Dutch may take a plural ("codes") or close a
// compound ("sms-code", "inlogcode"), but a word that merely contains it is another word:
// "encoded", "decode", "unicode", "Codecademy", "Codeforces". A compound needs four characters
// before "code".
const CODE_LABEL = 'code';
const CODE_WORD = /^code(?:s)?$/;
const SHORT_PREFIX = /(?:^|[^\p{L}\p{N}-])[\p{L}\p{N}-]{1,3}$/u;

function isAnotherWord(keyword: KeywordMatch, folded: string): boolean {
  if (keyword.meta.label !== CODE_LABEL) return false;
  if (!CODE_WORD.test(keyword.text)) return true;
  // `~code*` matches from "code" on ("en|code"): the letters before it are in the text only.
  return SHORT_PREFIX.test(folded.slice(Math.max(0, keyword.start - 4), keyword.start));
}

// Contexts that turn the keyword right next to them into something else ("promo code", "código postal").
const QUALIFYING: ReadonlySet<string> = new Set(['promo', 'reference', 'postal']);
const JOIN_BEFORE = /^[\s\-:]{0,2}$/;
const JOIN_AFTER = /^\s{0,2}(?:(?:de|di|du|des|da|do|of|для|для)\s{1,2})?$/;
// Longest join either pattern accepts ("  des  " is 7), so farther contexts cannot qualify.
const MAX_JOIN = 7;

function isQualifiedAway(keyword: KeywordMatch, contexts: ContextMatch[], folded: string): boolean {
  // Contexts never overlap each other, so only those between these bounds can touch the keyword.
  const first = firstIndexWhereNot(contexts, (context) => context.end < keyword.start - MAX_JOIN);
  for (let index = first; index < contexts.length; index++) {
    const context = contexts[index] as ContextMatch;
    if (context.start > keyword.end + MAX_JOIN) break;
    const overlaps = context.start < keyword.end && keyword.start < context.end;
    if (overlaps) {
      const covers = context.start <= keyword.start && context.end >= keyword.end;
      if (keyword.meta.strength !== 'strong' || covers) return true;
      continue;
    }
    if (keyword.meta.strength === 'strong' || !QUALIFYING.has(context.meta)) continue;
    if (context.end <= keyword.start && JOIN_BEFORE.test(folded.slice(context.end, keyword.start)))
      return true;
    if (context.start >= keyword.end && JOIN_AFTER.test(folded.slice(keyword.end, context.start)))
      return true;
  }
  return false;
}

function shouts(text: string): boolean {
  const upper = text.match(/[A-Z]/g)?.length ?? 0;
  const lower = text.match(/[a-z]/g)?.length ?? 0;
  return upper > 10 && upper > lower * 2;
}

/**
 * Locates keywords, contexts and candidates in normalised text (see `normalizeText`); `format`
 * is the sender's known code format, if any (see `sender-formats.ts`).
 *
 * @example
 * analyzeMessage('Your promo code: SAVE20').keywords; // [] ("code" here means a promo code)
 */
export function analyzeMessage(normalized: string, format?: ShortCodeFormat): MessageAnalysis {
  const text = normalized
    .replace(LONG_WORD_RUN, (run) => ' '.repeat(run.length))
    .replace(APP_HASH_LINE, (line) => (HAS_LETTER.test(line) ? ' '.repeat(line.length) : line))
    .replace(LINK_OR_ADDRESS, (link, offset: number) =>
      offset === 0 && !LINK_MARK.test(link) ? link : blankLink(link),
    );
  const folded = foldForMatching(text);
  const found = KEYWORD_MATCHER.find(folded);
  // Contexts only ever weigh against candidates a keyword pulls: without one, nothing to scan.
  const contexts = found.length > 0 ? CONTEXT_MATCHER.find(folded) : [];
  const keywords = found.filter(
    (keyword) => !isAnotherWord(keyword, folded) && !isQualifiedAway(keyword, contexts, folded),
  );
  return {
    text,
    folded,
    keywords,
    contexts,
    candidates: findCandidates(text, format),
    allCaps: shouts(text),
  };
}
