/**
 * Text normalisation shared by every later step. The extractor works on one normalised
 * string and a lower-cased twin of exactly the same length, so positions found in one are
 * valid in the other.
 */

// First code point (the digit zero) of each decimal-digit block NFKC leaves alone.
// Full-width digits are not listed: NFKC already folds them to ASCII.
const DIGIT_ZEROS = [
  0x0660, // Arabic-Indic
  0x06f0, // Extended Arabic-Indic (Persian, Urdu)
  0x07c0, // NKo
  0x0966, // Devanagari
  0x09e6, // Bengali
  0x0a66, // Gurmukhi
  0x0ae6, // Gujarati
  0x0b66, // Oriya
  0x0be6, // Tamil
  0x0c66, // Telugu
  0x0ce6, // Kannada
  0x0d66, // Malayalam
  0x0e50, // Thai
  0x0ed0, // Lao
  0x0f20, // Tibetan
  0x1040, // Myanmar
  0x17e0, // Khmer
  0x1810, // Mongolian
];

const NON_ASCII_DIGIT =
  /[\u0660-\u0669\u06f0-\u06f9\u07c0-\u07c9\u0966-\u096f\u09e6-\u09ef\u0a66-\u0a6f\u0ae6-\u0aef\u0b66-\u0b6f\u0be6-\u0bef\u0c66-\u0c6f\u0ce6-\u0cef\u0d66-\u0d6f\u0e50-\u0e59\u0ed0-\u0ed9\u0f20-\u0f29\u1040-\u1049\u17e0-\u17e9\u1810-\u1819]/g;

// Invisible characters that senders (and RTL text) sprinkle between digits: zero-width
// space/joiners, word joiner, BOM, soft hyphen, combining grapheme joiner, bidi marks and
// isolates, Mongolian vowel separator, Hangul fillers used as preheader padding.
const INVISIBLE =
  /\u034f|[\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0]/g;

// Dashes a keyboard cannot type; codes like `123‑456` must read as `123-456`.
const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;

// Spaces NFKC keeps as-is (ideographic space is folded by NFKC; these are not all).
const ODD_SPACES = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;

// NFKC would turn the full-width comma and full stop into ',' and '.', which read as decimal
// separators (`123456，5分钟` is not 123456.5); the ideographic forms keep their meaning.
const CJK_PUNCTUATION = /[\uff0c\uff0e]/g;

function asciiDigit(digit: string): string {
  const codePoint = digit.codePointAt(0) ?? 0;
  for (const zero of DIGIT_ZEROS) {
    if (codePoint >= zero && codePoint <= zero + 9) return String(codePoint - zero);
  }
  return digit;
}

/**
 * NFKC, every decimal-digit script folded to ASCII, invisible characters removed, exotic
 * dashes and spaces made plain. Case is kept: a code is returned as it was sent.
 *
 * @example
 * normalizeText('رمز التحقق: ١٢٣٤٥٦'); // 'رمز التحقق: 123456'
 * normalizeText('１２３\u200b４５６'); // '123456'
 */
export function normalizeText(text: string): string {
  return text
    .replace(CJK_PUNCTUATION, (mark) => (mark === '\uff0c' ? '\u3001' : '\u3002'))
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(NON_ASCII_DIGIT, asciiDigit)
    .replace(DASHES, '-')
    .replace(ODD_SPACES, ' ');
}

// Arabic-script letters typed differently by Arabic and Persian keyboards (and alef
// variants people skip), folded one-to-one so one lexicon entry matches every spelling.
const ARABIC_VARIANTS = /[\u0622\u0623\u0625\u0643\u064a\u0649]/g;
const ARABIC_FOLDED: Record<string, string> = {
  '\u0622': '\u0627',
  '\u0623': '\u0627',
  '\u0625': '\u0627',
  '\u0643': '\u06a9',
  '\u064a': '\u06cc',
  '\u0649': '\u06cc',
};

/**
 * The form keywords are matched in: lower-cased, Arabic letter variants folded, and never a
 * different length from its input, so an index in one string is the same place in the other.
 * (`'İ'.toLowerCase()` is two code units; the slow path keeps only the first.)
 *
 * @example
 * foldForMatching('DOĞRULAMA KODU İLE'); // 'doğrulama kodu ile'
 */
export function foldForMatching(text: string): string {
  let lower = text.toLowerCase();
  if (lower.length !== text.length) {
    lower = '';
    for (const unit of text) {
      const folded = unit.toLowerCase();
      lower += folded.length === unit.length ? folded : unit === 'İ' ? 'i' : unit;
    }
  }
  return lower.replace(ARABIC_VARIANTS, (letter) => ARABIC_FOLDED[letter] ?? letter);
}
