import type { Candidate } from './find-candidates.js';
import { phoneNumberTest } from './positions/phone-runs.js';
import type { CodeKind } from './types.js';

/**
 * Judgements about a candidate that need only the characters around it: is it a decimal, a
 * time, a masked card number, a template placeholder, a price, a phone number, a year?
 * Returns a multiplier (0 rejects outright) and, for a reason string, what was seen.
 */

const DIGIT = /\d/;
const ALNUM = /[A-Za-z0-9]/;
// `12.50`, `10:30`, `2024/05/01`, `1,234`: the candidate is one part of a bigger number.
const NUMBER_JOINER = /[.,:/]/;
// `{{code}}`, `%CODE%`, `${otp}`, `<CODE>`, `otp_code`, `user@host`.
const TEMPLATE_BEFORE = /[{%$\\<_@&]/;
const TEMPLATE_AFTER = /[}%>_@]/;
// "Ilica 242, 10000 Zagreb", "Calle de Alcalá 48, 28014 Madrid": a house number and a comma
// before, a capitalised town after make the number a postcode.
const HOUSE_NUMBER_BEFORE = /\d[A-Za-z]?, ?$/;
const TOWN_AFTER = /^ \p{Lu}\p{Ll}/u;
const MASK_BEFORE = /(?:[*•·xX]{2,}|\*)[ -]?$/;
// Korean nationwide service numbers (1588-1234, 1599-8000, 1661-…, 1800-…): printed like a code.
const KOREAN_SERVICE_NUMBER = /^1[568]\d\d-\d{4}$/;
// Units written straight after a number in CJK text: years, months, minutes, yuan, won…
const CJK_UNIT_AFTER = /^[年月日時时分秒元円원년월일시분초個个位次人件号]/;
const CURRENCY_BEFORE =
  /(?:[$€£¥₹₽₺₩₪₫฿₴]|r\$|rp\.?|rm|rs\.?|usd|eur|gbp|inr|chf|sek|pln|uah|rub|cny|rmb|jpy|krw|vnd|idr|thb|sar|aed|ils|irr|try|tl)\s?$/;
// ISO codes and local abbreviations of the currencies of every language in the lexicon. Their
// ends are bounded by letters of any script: `\b` knows only ASCII, so 'kč', 'лв' and 'đ' never matched.
const CURRENCY_AFTER =
  /^\s?(?:[$€£¥₹₽₺₩₪₫฿₴₱]|(?:usd|eur|gbp|inr|chf|sek|nok|dkk|kr|pln|rub|uah|huf|ft|czk|kč|ron|lei|bgn|лв|rsd|hrk|kn|php|myr|idr|thb|tl|ils|aed|sar|egp|pkr|rs|kes|ksh|tzs|jpy|cny|rmb|krw|brl|mxn|ars|cad|aud|zar)(?![\p{L}\p{N}_])|zł|руб|грн|₽|lira|ريال|درهم|جنيه|ریال|تومان|روپے|บาท|đ(?![\p{L}\p{N}_])|vnd\b|dong|euro|dollar|ש["״]ח|rupee|रु|रुपये)/u;
const UNIT_AFTER =
  /^\s?(?:minutes?|mins?\b|hours?\b|hrs?\b|seconds?\b|secs?\b|days?\b|points?\b|pts\b|miles\b|km\b|kg\b|gb\b|mb\b|minutos|minutes|minuten|minuti|minuty|minut\b|минут|хвилин|dakika|دقيقة|دقائق|דקות|دقیقه|मिनट|นาที|phút|menit|minuter|分钟|分鐘|分間|분)/;
const UNIT_SUFFIX =
  /^\d+(?:[a-z]{1,4}|GB|MB|KB|TB|AM|PM|ST|ND|RD|TH|HZ|KM|KG|MG|ML|MM|CM|PX|FPS|MIN|MINS|HRS|SEC|USD|EUR|GBP|INR|TL|KR)$/;
// Upper-case words that are labels, not codes.
const LABEL_WORDS = new Set([
  'CODE',
  'CODES',
  'OTP',
  'PIN',
  'PASS',
  'YOUR',
  'HERE',
  'THIS',
  'THAT',
  'WITH',
  'FROM',
  'NULL',
  'NONE',
  'TRUE',
  'FALSE',
  'HTTP',
  'HTTPS',
  'HTML',
  'EMAIL',
  'MAIL',
  'SMS',
  'TEXT',
  'STOP',
  'HELP',
  'INFO',
  'NOTE',
  'FREE',
  'SALE',
  'VERIFY',
  'LOGIN',
  'TOKEN',
  'ENTER',
  'ABOVE',
  'BELOW',
  'KODE',
  'CODIGO',
  'SENHA',
  'VALID',
  'EXPIRED',
  'USER',
]);

export function codeKind(code: string): CodeKind {
  if (/^\d+$/.test(code)) return 'numeric';
  return /\d/.test(code) ? 'alphanumeric' : 'alphabetic';
}

/** Base plausibility of the token itself, before any context. */
export function shapeScore(candidate: Candidate, allCapsMessage: boolean): number {
  const { code } = candidate;
  const kind = codeKind(code);
  if (kind === 'numeric') {
    // 9 and 10 digits only count right after their keyword (checked when scoring).
    const byLength: Record<number, number> = { 4: 0.88, 5: 0.92, 6: 1, 7: 0.9, 8: 0.9, 9: 0.9, 10: 0.9 };
    // Shorter codes are candidates only from a sender known to send them.
    let score = candidate.knownFormat ? 0.85 : (byLength[code.length] ?? 0);
    if (/^(?:19|20)\d\d$/.test(code)) score *= 0.75; // a year
    if (code.length === 8 && isCompactDate(code)) score *= 0.7;
    if (candidate.grouped && /^\d{2}-\d{2}-\d{2}$/.test(code)) score *= 0.8;
    return score;
  }
  if (/^(.)\1+$/i.test(code) || /^[xX*]{2,}/.test(code)) return 0; // XXXXXX placeholders, masks
  if (kind === 'alphanumeric') {
    if (UNIT_SUFFIX.test(code)) return 0;
    return /^[A-Z0-9]+$/.test(code) ? 0.85 : 0.6;
  }
  // Letters only: upper case, not a label word, and not in a message that shouts everything.
  if (allCapsMessage || !/^[A-Z]+$/.test(code) || LABEL_WORDS.has(code)) return 0;
  return 0.7;
}

function isCompactDate(code: string): boolean {
  const year = Number(code.slice(0, 4));
  const month = Number(code.slice(4, 6));
  const day = Number(code.slice(6, 8));
  return year >= 1990 && year <= 2039 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** A multiplier from the characters around a candidate, and what was seen (for explanations). */
export interface SurroundingsVerdict {
  score: number;
  seen: readonly string[];
}

const NOTHING_SEEN: readonly string[] = [];

/** A shared, frozen verdict: candidates are judged by the thousand per second. */
function verdict(score: number, seen: string): SurroundingsVerdict {
  return Object.freeze({ score, seen: Object.freeze([seen]) });
}
const PART_OF_NUMBER = verdict(0, 'part of a bigger number');
const HYPHENATED = verdict(0, 'part of a hyphenated word');
const TEMPLATE = verdict(0, 'inside a template, an identifier or an address');
const MASKED = verdict(0, 'after a mask (card ending)');
const UNIT = verdict(0, 'followed by a unit');
const COPYRIGHT = verdict(0, 'after a copyright sign');
const POSTCODE = verdict(0, 'a postcode between a street address and its town');
const PRICE = verdict(0.05, 'next to a currency (a price)');
const CLEAR: SurroundingsVerdict = Object.freeze({ score: 1, seen: NOTHING_SEEN });

/**
 * Multiplier from the characters right around the candidate (0 means "cannot be a code") and
 * what lowered it. Pass `isPhoneNumber` (from `phoneNumberTest(text)`) when scoring many
 * candidates of one text: it is indexed once instead of once per call.
 *
 * @example
 * const text = 'Total: $1234 today';
 * surroundingsVerdict(text, text.toLowerCase(), { start: 8, end: 12, code: '1234', grouped: false }); // { score: 0.05, seen: ['next to a currency (a price)'] }
 */
export function surroundingsVerdict(
  text: string,
  lower: string,
  candidate: Candidate,
  isPhoneNumber: (candidate: Candidate) => boolean = phoneNumberTest(text),
): SurroundingsVerdict {
  const { start, end } = candidate;
  const before = text[start - 1] ?? '';
  const beforeThat = text[start - 2] ?? '';
  const after = text[end] ?? '';
  const afterThat = text[end + 1] ?? '';
  if (NUMBER_JOINER.test(before) && DIGIT.test(beforeThat)) return PART_OF_NUMBER;
  if (NUMBER_JOINER.test(after) && DIGIT.test(afterThat)) return PART_OF_NUMBER;
  if (before === '-' && ALNUM.test(beforeThat)) return HYPHENATED;
  if (after === '-' && ALNUM.test(afterThat)) return HYPHENATED;
  if (TEMPLATE_BEFORE.test(before) || TEMPLATE_AFTER.test(after)) return TEMPLATE;
  if (MASK_BEFORE.test(text.slice(Math.max(0, start - 6), start))) return MASKED;
  if (CJK_UNIT_AFTER.test(text.slice(end, end + 1))) return UNIT;
  if (/[©®]/.test(text.slice(Math.max(0, start - 3), start))) return COPYRIGHT;
  if (
    HOUSE_NUMBER_BEFORE.test(text.slice(Math.max(0, start - 4), start)) &&
    TOWN_AFTER.test(text.slice(end, end + 3))
  )
    return POSTCODE;
  const lowerBefore = lower.slice(Math.max(0, start - 6), start);
  const lowerAfter = lower.slice(end, end + 12);
  if (CURRENCY_BEFORE.test(lowerBefore) || CURRENCY_AFTER.test(lowerAfter)) return PRICE;
  const unit = UNIT_AFTER.test(lowerAfter);
  const hash = /#\s?$/.test(text.slice(Math.max(0, start - 2), start));
  const phone = isPhoneNumber(candidate) || KOREAN_SERVICE_NUMBER.test(text.slice(start, end));
  if (!unit && !hash && !phone) return CLEAR;
  let score = 1;
  let seen = NOTHING_SEEN;
  if (unit) {
    score *= 0.15;
    seen = [...seen, 'followed by a unit (minutes, points…)'];
  }
  if (hash) {
    score *= 0.5;
    seen = [...seen, "after '#'"];
  }
  // `+1 (555) 123-4567`, `0912 345 678`: the digits around the candidate make a phone number.
  if (phone) {
    score *= 0.1;
    seen = [...seen, 'part of a phone number'];
  }
  return { score, seen };
}
